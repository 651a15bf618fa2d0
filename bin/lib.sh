# Shared by the bin/ launchers: find a JDK 25 and Maven, and say how to fix it when missing.
# Sourced, not run.

# Prints the JAVA_HOME of a JDK 25 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
tw_find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    # the JDK's release file names its version: reading it costs nothing, starting a JVM to ask costs ~0.1 s
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null)
    [[ -n "$version" ]] ||
      version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [[ -n "$version" && "$version" -ge 25 ]] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

tw_setup_java() {
  local jdk
  if ! jdk=$(tw_find_jdk); then
    echo "error: no JDK 25 found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable in /usr/lib/jvm)." >&2
    echo "       Install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it." >&2
    exit 2
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
}

tw_setup_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Maven not found; installing it with apt-get (needs root)..." >&2
    if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
      (apt-get update -qq && apt-get install -y -qq maven) >&2 || { echo "error: could not install Maven" >&2; exit 2; }
    else
      echo "error: Maven (mvn) is required; install it and retry." >&2
      exit 2
    fi
  fi
}

# The dev UI's browser tests drive Debian's chromium through chromedriver: installed with apt-get when missing and
# running as root; otherwise a loud note (those tests then fail, saying what to install).
tw_setup_chromium() {
  [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] && return 0
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    echo "installing chromium and chromium-driver with apt-get (the dev UI's browser tests need them)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >&2 \
      || echo "WARNING: could not install chromium/chromium-driver: the dev UI's browser tests will fail" >&2
  else
    echo "WARNING: /usr/bin/chromium or /usr/bin/chromedriver is missing and this is not root: install Debian's" \
      "chromium and chromium-driver, or the dev UI's browser tests will fail" >&2
  fi
}

TW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Builds the given module's jar (with the modules it needs) when the jar is missing or older than
# any source, POM or resource of the project. Extra arguments go to Maven (e.g. -Pbench). Prints the
# build log only when it fails. TW_BUILD_INPUTS (paths) narrows what is looked at, for a module that depends
# on no other (bin/luau: the luau module's main sources and the POMs), so the check does not walk the whole tree.
tw_ensure_built() {
  local module="$1" jar="$2"
  shift 2
  local inputs
  read -r -a inputs <<< "${TW_BUILD_INPUTS:-$TW_ROOT}"
  if [[ -f "$jar" ]] && [[ -z $(find "${inputs[@]}" -path "$TW_ROOT/*/target" -prune -o -path "$TW_ROOT/data" -prune \
        -o -path "$TW_ROOT/.git" -prune -o -path '*/node_modules' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' -o -path '*/frontend/src/*' -o -name 'package-lock.json' \) \
        -newer "$jar" -print -quit) ]]; then
    return 0
  fi
  tw_setup_maven
  echo "building $module (first run or sources changed)..." >&2
  local log
  log=$(mktemp)
  if ! (cd "$TW_ROOT" && mvn -B -q -ntp -o package -pl "$module" -am -DskipTests "$@" >"$log" 2>&1 \
        || mvn -B -q -ntp package -pl "$module" -am -DskipTests "$@" >"$log" 2>&1); then
    cat "$log" >&2
    rm -f "$log"
    echo "error: building $module failed (log above)." >&2
    exit 2
  fi
  rm -f "$log"
}
