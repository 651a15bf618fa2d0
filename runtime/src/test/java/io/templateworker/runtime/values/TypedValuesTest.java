package io.templateworker.runtime.values;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.value.LuauString;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The typed values' members and metamethods, driven from Luau as templates use them. */
class TypedValuesTest {
  private static final Object IST = Timezone.wrap(ZoneId.of("Asia/Kolkata"));
  private static final Object UTC = Timezone.wrap(Timezone.UTC);

  private static Object[] run(String src, Object... args) {
    return ScriptRunner.run(src, args);
  }

  private static Object one(String src, Object... args) {
    Object v = run(src, args)[0];
    return v instanceof LuauString s ? s.toString() : v;
  }

  @Test
  void timezone_converts_between_utc_and_local_time() {
    assertThat(one("local tz = ... return tz:utcToTz(2021, 1, 1, 8, 0, 0):format('%I:%M %p')", IST)).isEqualTo("01:30 PM");
    assertThat(one("local tz = ... return tz:tzToUtc(2021, 1, 1, 13, 30, 0):format('%I:%M %p')", IST)).isEqualTo("08:00 AM");
    assertThat(one("local tz = ... return tostring(tz)", IST)).isEqualTo("Asia/Kolkata");
    assertThat(one("local tz = ... return tz:timeTzToUtc(13, 30, 0):format('%H%M%S')", IST)).isEqualTo("080000");
    assertThat(one("local tz = ... return tz:timeUtcToTz(8, 0, 0):format('%H%M%S')", IST)).isEqualTo("133000");
    assertThat(one("local a, b = ... return a == b", IST, Timezone.wrap(ZoneId.of("Asia/Kolkata")))).isEqualTo(true);
    assertThat(one("local a, b = ... return a == b", IST, UTC)).isEqualTo(false);
  }

  @Test
  void an_ambiguous_local_time_gives_the_earlier_instant_or_both() {
    Object ny = Timezone.wrap(ZoneId.of("America/New_York"));
    Object[] r = run("local tz = ... local a, b = tz:tzToUtc(2021, 11, 7, 1, 30, 0, true) return tostring(a), tostring(b)", ny);
    assertThat(r).containsExactly(LuauString.of("2021-11-07T05:30:00+00:00"), LuauString.of("2021-11-07T06:30:00+00:00"));
    assertThat(ScriptRunner.error("local tz = ... return tz:tzToUtc(2021, 3, 14, 2, 30, 0)", ny)).contains("Invalid date");
  }

  @Test
  void datetime_fields_offsets_and_arithmetic() {
    Object[] r = run("""
        local tz, td = ...
        local d = tz:utcToTz(2021, 1, 1, 8, 0, 0)
        return d.year, d.month, d.day, d.hour, d.minute, d.second, d.base_offset:offset_string(),
          d.base_offset.seconds, d.dst_offset.seconds, d.timezone == tz, d.tz == tz,
          tostring(d + td), (d + td) > d, d - td < d, (d + td) - d == td, d.timestamp_seconds
        """, IST, TimeDelta.wrap(Duration.ofSeconds(10)));
    assertThat(r).containsExactly(2021.0, 1.0, 1.0, 13.0, 30.0, 0.0, LuauString.of("+05:30"), 19800.0, 0.0, true, true,
        LuauString.of("2021-01-01T13:30:10+05:30"), true, true, true, 1609488000.0);
  }

  @Test
  void datetime_epoch_timestamps_and_summer_time() {
    Object london = Timezone.wrap(ZoneId.of("Europe/London"));
    assertThat(one("local tz = ... return tz:utcToTz(2016, 5, 10, 12, 0, 0).dst_offset.seconds", london)).isEqualTo(3600.0);
    Object dt = DateTime.wrap(ZonedDateTime.parse("1970-01-01T00:00:01.5Z").withZoneSameInstant(Timezone.UTC));
    assertThat(run("local d = ... return d.timestamp_millis, d.timestamp_micros, d.timestamp_nanos", dt))
        .containsExactly(1500.0, 1_500_000.0, 1_500_000_000.0);
    assertThat(one("local d = ... return tostring(d)", dt)).isEqualTo("1970-01-01T00:00:01.500+00:00");
  }

  @Test
  void format_follows_chrono_specifiers() {
    Object dt = DateTime.wrap(ZonedDateTime.parse("2021-03-12T13:30:05.250+05:30[Asia/Kolkata]"));
    assertThat(one("local d = ... return d:format('%Y-%m-%dT%H:%M:%S%z')", dt)).isEqualTo("2021-03-12T13:30:05+0530");
    assertThat(one("local d = ... return d:format('%a %A %b %B %e %j %y %C %u %w %:z %Z %%')", dt))
        .isEqualTo("Fri Friday Mar March 12 071 21 20 5 5 +05:30 IST %");
    assertThat(one("local d = ... return d:format('%-d/%-m %.3f %.f %F %T %D %R %s')", dt))
        .isEqualTo("12/3 .250 .250 2021-03-12 13:30:05 03/12/21 13:30 1615536005");
    assertThat(ScriptRunner.error("local d = ... return d:format('%Q')", dt)).contains("Invalid format string");
  }

  @Test
  void timezone_parses_rfc3339_and_epoch_times() {
    assertThat(one("local tz = ... return tostring(tz:fromString('2021-01-01T08:00:00+00:00'))", IST))
        .isEqualTo("2021-01-01T13:30:00+05:30");
    assertThat(one("local tz = ... return tostring(tz:fromTime(0))", UTC)).isEqualTo("1970-01-01T00:00:00+00:00");
    assertThat(one("local tz = ... return tostring(tz:fromTimeMillis(1500))", UTC)).isEqualTo("1970-01-01T00:00:01.500+00:00");
    assertThat(one("local tz = ... return tostring(tz:fromTimeMicros('-1'))", UTC)).isEqualTo("1969-12-31T23:59:59.999999+00:00");
    assertThat(one("local tz = ... return tostring(tz:fromTimeNanos(1))", UTC)).isEqualTo("1970-01-01T00:00:00.000000001+00:00");
    assertThat(ScriptRunner.error("local tz = ... return tz:fromString('yesterday')", UTC)).contains("Invalid date");
    assertThat(ScriptRunner.error("local tz = ... return tz:fromTime(nil)", UTC))
        .contains("invalid argument #1 (time) to 'fromTime'");
  }

  @Test
  void timedelta_fields_truncate_toward_zero_and_print_like_chrono() {
    Object td = TimeDelta.wrap(Duration.ofSeconds(-90, 500_000_000));
    assertThat(run("local t = ... return t.seconds, t.minutes, t.millis, t.as_secs, tostring(t), t:offset_string()", td))
        .containsExactly(-89.0, -1.0, -89500.0, -89.5, LuauString.of("-PT89.5S"), LuauString.of("-00:01"));
    Object week = TimeDelta.wrap(Duration.ofDays(7));
    assertThat(run("local t = ... return t.weeks, t.days, t.hours, tostring(t), tostring(t - t)", week))
        .containsExactly(1.0, 7.0, 168.0, LuauString.of("PT604800S"), LuauString.of("P0D"));
    assertThat(ScriptRunner.error("local t = ... return t + 1", week)).contains("TimeDelta");
  }

  @Test
  void i64_and_u64_are_exact_and_wrap_around() {
    Object[] r = run("""
        local a, b = ...
        local big = a * a
        return tostring(big), tostring(a + 1), tostring(-a), a == b, a < a + 1, tostring(a // 2), tostring(a % 7),
          tostring(a ^ 2), tostring(a:to_u64()), typeof(a:to_u64())
        """, I64.wrap(3_000_000_000L), I64.wrap(3_000_000_000L));
    assertThat(r).containsExactly(LuauString.of("9000000000000000000"), LuauString.of("3000000001"),
        LuauString.of("-3000000000"), true, true, LuauString.of("1500000000"), LuauString.of("4"),
        LuauString.of("9000000000000000000"), LuauString.of("3000000000"), LuauString.of("U64"));
    assertThat(one("local u = ... return tostring(u + 1)", U64.wrap(-1L))).isEqualTo("0");
    assertThat(one("local u = ... return u > u - 1", U64.wrap(-1L))).isEqualTo(true);
    assertThat(one("local u = ... local t = u:to_be_bytes() return u.from_be_bytes(t) == u and #t", U64.wrap(258)))
        .isEqualTo(8.0);
    assertThat(ScriptRunner.error("local u = ... return u:to_i64()", U64.wrap(-1L))).contains("too large to convert to i64");
    assertThat(ScriptRunner.error("local a = ... return a // 0", I64.wrap(1))).contains("divide by zero");
    assertThat(ScriptRunner.error("local a = ... return a + {}", I64.wrap(1))).contains("arithmetic (add)");
  }

  @Test
  void blob_length_drain_zeroize_and_tobuffer() {
    byte[] secret = {1, 2, 3};
    Object[] r = run("""
        local a, b, c = ...
        local n = #a
        a:drain()
        local buf = c:tobuffer()
        b:zeroize()
        return n, #a, #b, buffer.len(buf), #c, typeof(a)
        """, Blob.wrap(new byte[] {1, 2, 3, 4}), Blob.wrap(secret), Blob.wrap(new byte[] {5, 6}));
    assertThat(r).containsExactly(4.0, 0.0, 0.0, 2.0, 0.0, LuauString.of("Blob"));
    assertThat(secret).containsOnly(0);
  }

  @Test
  void opaque_reveals_nothing_and_interop_null_is_userdata() {
    assertThat(run("local o, n = ... return typeof(o), tostring(o), typeof(n)",
        Opaque.wrap(io.templateworker.runtime.khronos.KhronosValue.text("hidden")), Interop.NULL))
        .containsExactly(LuauString.of("Opaque"), LuauString.of("Opaque"), LuauString.of("userdata"));
    assertThat(run("local o = ... return o.value, o.data", Opaque.wrap(io.templateworker.runtime.khronos.KhronosValue.text("x"))))
        .containsExactly(null, null);
  }

  @Test
  void the_array_metatable_is_shared_and_cannot_be_changed() {
    assertThat(ScriptRunner.error("local mt = ... mt.__index = {}", Interop.ARRAY_METATABLE)).contains("readonly");
  }
}
