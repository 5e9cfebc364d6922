package madoguchi.http;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** The day list as CSV for a spreadsheet (UTF-8 with a BOM, so that Excel reads the Japanese). */
final class DayCsv {
    private static final String[] COLUMNS = {"start", "end", "noticeNumber", "code", "ticket", "channel", "state", "arrivedAt",
            "counter", "byProxy", "needs", "note"};

    private DayCsv() {
    }

    static String of(List<JsonObject> lines) {
        StringBuilder out = new StringBuilder("\uFEFF").append(String.join(",", COLUMNS)).append("\r\n");
        for (JsonObject l : lines) {
            JsonObject visit = l.getJsonObject("visit");
            JsonObject needs = l.getJsonObject("needs");
            Object[] cells = {l.getString("start"), l.getString("end"), l.getString("noticeNumber"), l.getString("code"),
                    l.getValue("ticket"), l.getString("channel"), l.getString("state"),
                    visit == null ? null : visit.getString("arrivedAt"), visit == null ? null : visit.getValue("counter"),
                    visit == null ? null : visit.getValue("byProxy"), needs == null ? null : needsText(needs), l.getString("note")};
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(cell(cells[i]));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static String needsText(JsonObject n) {
        StringBuilder s = new StringBuilder();
        for (String k : List.of("wheelchair", "signLanguage", "hearingLoop", "proxy")) {
            if (Boolean.TRUE.equals(n.getBoolean(k))) {
                s.append(s.length() == 0 ? "" : " ").append(k);
            }
        }
        if (n.getString("interpreter") != null) {
            s.append(s.length() == 0 ? "" : " ").append("interpreter:").append(n.getString("interpreter"));
        }
        if (n.getString("other") != null) {
            s.append(s.length() == 0 ? "" : " ").append(n.getString("other"));
        }
        return s.toString();
    }

    /** A cell quoted when it must be; a leading =, +, - or @ is defused so that a spreadsheet never runs it. */
    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
