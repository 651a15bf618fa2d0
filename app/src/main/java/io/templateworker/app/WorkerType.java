package io.templateworker.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** The {@code --worker-type} values, each with upstream's kebab-case alias. */
public enum WorkerType {
    THREADPOOL("threadpool", "thread-pool"),
    PROCESSPOOL("processpool", "process-pool"),
    PROCESSPOOLWORKER("processpoolworker", "process-pool-worker"),
    SHELL("shell", "fauxpas"),
    MIGRATE("migrate", "apply-migration"),
    REGISTER("register", "register-commands"),
    MOCKDISCORD("mockdiscord", "mock-discord");

    private final String cliName;
    private final String alias;

    WorkerType(String cliName, String alias) {
        this.cliName = cliName;
        this.alias = alias;
    }

    public String cliName() {
        return cliName;
    }

    public String alias() {
        return alias;
    }

    /** Accepts a name or its alias, case-insensitively; the error lists every accepted spelling. */
    public static WorkerType parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        List<String> accepted = new ArrayList<>();
        for (WorkerType t : values()) {
            if (t.cliName.equals(v) || t.alias.equals(v)) {
                return t;
            }
            accepted.add(t.cliName + " (" + t.alias + ")");
        }
        throw new IllegalArgumentException("unknown worker type '" + value + "'; expected one of " + String.join(", ", accepted));
    }

    /** picocli hook for {@link #parse}. */
    public static final class Converter implements CommandLine.ITypeConverter<WorkerType> {
        @Override
        public WorkerType convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
