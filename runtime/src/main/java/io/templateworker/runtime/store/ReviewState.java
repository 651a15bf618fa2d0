package io.templateworker.runtime.store;

/** Staff review of a global KV entry; only {@link #APPROVED} entries are readable by others. */
public enum ReviewState {
    PENDING("pending"), APPROVED("approved"), REJECTED("rejected");

    private final String sqlName;

    ReviewState(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }

    public static ReviewState parse(String text) {
        for (ReviewState s : values()) {
            if (s.sqlName.equals(text)) {
                return s;
            }
        }
        throw new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                "unknown review state \"" + text + "\": expected pending, approved or rejected");
    }
}
