package madoguchi.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/** Reads and checks request input; anything wrong becomes a 400 naming the field. */
final class Inputs {
    private Inputs() {
    }

    static JsonObject body(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
            throw new Problem(400, "invalid_json", "The request needs a JSON object body.");
        }
        try {
            Object value = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            if (!(value instanceof JsonObject)) {
                throw new Problem(400, "invalid_json", "The body must be a JSON object.");
            }
            return (JsonObject) value;
        } catch (DecodeException e) {
            throw new Problem(400, "invalid_json", "The body is not valid JSON.");
        }
    }

    static String text(JsonObject o, String field, int maxLength) {
        Object v = o.getValue(field);
        if (!(v instanceof String) || ((String) v).isBlank()) {
            throw Problem.badRequest("'" + field + "' must be a non-empty string.");
        }
        String s = plain((String) v, field).strip();
        if (s.length() > maxLength) {
            throw Problem.badRequest("'" + field + "' must be at most " + maxLength + " characters.");
        }
        return s;
    }

    /** A password as typed: never stripped (spaces count), null when absent. */
    static String secret(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String) || ((String) v).isEmpty() || ((String) v).length() > 200) {
            throw Problem.badRequest("'" + field + "' must be a string of 1 to 200 characters.");
        }
        return plain((String) v, field);
    }

    static String optionalText(JsonObject o, String field, int maxLength) {
        Object v = o.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw Problem.badRequest("'" + field + "' must be a string.");
        }
        String s = plain((String) v, field).strip();
        if (s.length() > maxLength) {
            throw Problem.badRequest("'" + field + "' must be at most " + maxLength + " characters.");
        }
        return s.isEmpty() ? null : s;
    }

    /**
     * {@code value} unchanged, or a 400 naming the field when it holds a character no field here
     * means anything by and that would fail or skip a write half-way: PostgreSQL refuses NUL in
     * text (the change made, its audit row not), and writes a lone surrogate as '?'.
     */
    static String plain(String value, String field) {
        if (value != null && controlAt(value) >= 0) {
            throw Problem.badRequest("'" + field + "' must not contain control characters.");
        }
        return value;
    }

    /**
     * Where {@code s} has its first control character (C0 — tab and newline included —, DEL, C1)
     * or lone surrogate; -1 when it has none.
     */
    static int controlAt(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    static long id(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v instanceof Number && !(v instanceof Double || v instanceof Float)) {
            long n = ((Number) v).longValue();
            if (n > 0) {
                return n;
            }
        }
        if (v instanceof String && ((String) v).matches("[0-9]{1,18}")) {
            return Long.parseLong((String) v);
        }
        throw Problem.badRequest("'" + field + "' must be a positive whole number.");
    }

    static int integer(JsonObject o, String field, int min, int max) {
        Object v = o.getValue(field);
        if (v instanceof Number && !(v instanceof Double || v instanceof Float)) {
            long n = ((Number) v).longValue();
            if (n >= min && n <= max) {
                return (int) n;
            }
        }
        throw Problem.badRequest("'" + field + "' must be a whole number from " + min + " to " + max + ".");
    }

    static Integer optionalInteger(JsonObject o, String field, int min, int max) {
        return o.getValue(field) == null ? null : integer(o, field, min, max);
    }

    static boolean bool(JsonObject o, String field, boolean fallback) {
        Object v = o.getValue(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean)) {
            throw Problem.badRequest("'" + field + "' must be true or false.");
        }
        return (Boolean) v;
    }

    static LocalDate date(String text, String field) {
        if (text == null || !text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw Problem.badRequest("'" + field + "' must be a date written YYYY-MM-DD.");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw Problem.badRequest("'" + field + "' is not a real date.");
        }
    }

    static LocalTime time(String text, String field) {
        if (text == null || !text.matches("[0-9]{2}:[0-9]{2}")) {
            throw Problem.badRequest("'" + field + "' must be a time written HH:MM.");
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeException e) {
            throw Problem.badRequest("'" + field + "' is not a real time.");
        }
    }

    static long pathId(RoutingContext ctx, String name) {
        String v = ctx.pathParam(name);
        if (v == null || !v.matches("[0-9]{1,18}")) {
            throw new Problem(404, "not_found", "No such " + name + ".");
        }
        return Long.parseLong(v);
    }

    /** The {@code dryRun} query parameter: true to see what a change would do without making it. */
    static boolean dryRun(RoutingContext ctx) {
        String text = query(ctx, "dryRun");
        if (text != null && !"true".equals(text) && !"false".equals(text)) {
            throw Problem.badRequest("'dryRun' must be true or false.");
        }
        return "true".equals(text);
    }

    static String query(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw Problem.badRequest("'" + name + "' may be given only once.");
        }
        return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }
}
