package io.templateworker.app.shell;

import static io.templateworker.app.shell.LuauObjects.offVm;
import static io.templateworker.app.shell.LuauObjects.one;
import static io.templateworker.app.shell.LuauObjects.string;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.bridge.JsonLuau;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Tables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code ctx:CreateDbClient()} (UPSTREAM.md §9): SQL against the service's database for staff.
 * {@code db:fetchall(sql, params)} runs a statement with {@code $1, $2, ...} placeholders and returns its rows as
 * tables keyed by column name; {@code db:cast(value, type)} types a parameter ({@code i32}, {@code i64},
 * {@code string}, {@code bool}, {@code f64}, {@code datetime}, {@code json}, {@code uuid}); an uncast number is bound as
 * f64 (i64 when whole), a string as text.
 */
final class DbClient {
    private static final Set<String> TYPES = Set.of("i32", "i64", "string", "bool", "f64", "datetime", "json", "uuid");
    private static final LuauString CAST_TYPE = LuauString.of("__cast");
    private static final LuauString CAST_VALUE = LuauString.of("value");

    private DbClient() {
    }

    static LuauTable create(LuauState state, DataSource db) {
        return new LuauObjects.Builder("DbClient")
                .method("cast", (L, a) -> {
                    String type = string(a, 1, "DbClient:cast", "type");
                    if (!TYPES.contains(type)) {
                        throw LuauError.runtime("invalid argument #2 to 'DbClient:cast' (type: expected one of " + String.join(", ",
                                new java.util.TreeSet<>(TYPES)) + ", got \"" + type + "\")");
                    }
                    LuauTable cast = new LuauTable(0, 2);
                    cast.rawset(CAST_TYPE, LuauString.of(type));
                    cast.rawset(CAST_VALUE, a.length > 0 ? a[0] : null);
                    cast.freeze();
                    return one(cast);
                })
                .method("fetchall", (L, a) -> {
                    String sql = string(a, 0, "DbClient:fetchall", "sql").replaceAll("\\$\\d+", "?");
                    List<Param> params = new ArrayList<>();
                    if (a.length > 1 && a[1] instanceof LuauTable t) {
                        for (int i = 1; i <= t.length(); i++) {
                            params.add(param(L, t.rawget(i), i));
                        }
                    }
                    List<Map<String, Object>> rows = offVm(state, L, () -> query(db, sql, params));
                    LuauTable out = new LuauTable(rows.size(), 0);
                    for (int i = 0; i < rows.size(); i++) {
                        LuauTable row = new LuauTable();
                        for (Map.Entry<String, Object> c : rows.get(i).entrySet()) {
                            row.rawset(LuauString.of(c.getKey()), toLuau(L, c.getValue()));
                        }
                        out.rawset(i + 1, row);
                    }
                    return one(out);
                })
                .build();
    }

    private record Param(String type, Object value) {
    }

    private static Param param(io.templateworker.luau.vm.LuauThread L, Object v, int index) {
        if (v instanceof LuauTable t && t.rawget(CAST_TYPE) instanceof LuauString type) {
            Object value = t.rawget(CAST_VALUE);
            return switch (type.toString()) {
                case "i32", "i64" -> new Param(type.toString(), value == null ? null : (long) number(value, index));
                case "f64" -> new Param("f64", value == null ? null : number(value, index));
                case "bool" -> new Param("bool", value == null ? null : Boolean.TRUE.equals(value) || "true".equals(String.valueOf(value)));
                case "json" -> new Param("json", JsonLuau.toJson(L, value, false));
                case "datetime" -> new Param("datetime", value == null ? null : datetime(value, index));
                case "uuid" -> new Param("uuid", value == null ? null : UUID.fromString(String.valueOf(value)));
                default -> new Param("string", value == null ? null : String.valueOf(value));
            };
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? new Param("i64", (long) (double) d) : new Param("f64", d);
        }
        if (v instanceof Boolean b) {
            return new Param("bool", b);
        }
        if (v instanceof LuauString s) {
            return new Param("string", s.toString());
        }
        if (v == null) {
            return new Param("string", null);
        }
        throw LuauError.runtime("DbClient:fetchall: parameter $" + index + " is a " + v.getClass().getSimpleName()
                + "; cast it with db:cast(value, type)");
    }

    private static double number(Object v, int index) {
        if (v instanceof Double d) {
            return d;
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw LuauError.runtime("DbClient:fetchall: parameter $" + index + " is not a number: " + v);
        }
    }

    private static Timestamp datetime(Object v, int index) {
        KhronosValue k = KhronosLuau.toKhronos(v);
        if (k instanceof KhronosValue.Timestamptz t) {
            return Timestamp.from(t.value());
        }
        try {
            return Timestamp.from(java.time.Instant.parse(String.valueOf(v)));
        } catch (java.time.format.DateTimeParseException e) {
            throw LuauError.runtime("DbClient:fetchall: parameter $" + index + " is not a date-time (a DateTime or an RFC 3339 text): " + v);
        }
    }

    private static List<Map<String, Object>> query(DataSource db, String sql, List<Param> params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                bind(ps, i + 1, params.get(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            if (!ps.execute()) {
                return rows; // an UPDATE or DDL: no rows
            }
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= md.getColumnCount(); col++) {
                        row.put(md.getColumnLabel(col), column(rs, col, md.getColumnType(col), md.getColumnTypeName(col)));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw LuauError.runtime("database: " + e.getMessage());
        }
    }

    private static void bind(PreparedStatement ps, int i, Param p) throws SQLException {
        if (p.value() == null) {
            ps.setObject(i, null);
            return;
        }
        switch (p.type()) {
            case "i32" -> ps.setInt(i, (int) (long) (Long) p.value());
            case "i64" -> ps.setLong(i, (Long) p.value());
            case "f64" -> ps.setDouble(i, (Double) p.value());
            case "bool" -> ps.setBoolean(i, (Boolean) p.value());
            case "datetime" -> ps.setTimestamp(i, (Timestamp) p.value());
            case "uuid" -> ps.setObject(i, p.value());
            case "json" -> ps.setObject(i, p.value(), Types.OTHER);
            default -> ps.setString(i, (String) p.value());
        }
    }

    private static Object column(ResultSet rs, int col, int type, String typeName) throws SQLException {
        if (typeName.equals("json") || typeName.equals("jsonb")) {
            String s = rs.getString(col);
            return s == null ? null : new Json(s);
        }
        if (type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE) {
            Timestamp t = rs.getTimestamp(col);
            return t == null ? null : t.toInstant();
        }
        if (type == Types.ARRAY) {
            java.sql.Array arr = rs.getArray(col);
            if (arr == null) {
                return null;
            }
            List<Object> items = new ArrayList<>();
            for (Object o : (Object[]) arr.getArray()) {
                items.add(o);
            }
            return items;
        }
        return rs.getObject(col);
    }

    private record Json(String text) {
    }

    private static Object toLuau(io.templateworker.luau.vm.LuauThread L, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Json j) {
            return JsonLuau.fromJson(L, j.text());
        }
        if (v instanceof java.time.Instant i) {
            return Tables.dateTime(i);
        }
        if (v instanceof Boolean || v instanceof String) {
            return v instanceof String s ? LuauString.of(s) : v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Long l) {
            // a snowflake or other 64-bit value keeps every digit as text when a double cannot hold it
            return Math.abs(l) < (1L << 53) ? (Object) (double) l : LuauString.of(Long.toString(l));
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof List<?> items) {
            LuauTable t = new LuauTable(items.size(), 0);
            for (int i = 0; i < items.size(); i++) {
                t.rawset(i + 1, toLuau(L, items.get(i)));
            }
            return t;
        }
        return LuauString.of(String.valueOf(v));
    }
}
