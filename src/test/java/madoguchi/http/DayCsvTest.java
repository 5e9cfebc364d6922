package madoguchi.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The day list as CSV: a BOM for Excel, quoting, and no cell a spreadsheet would run as a formula. */
class DayCsvTest {

    @Test
    void aNoteThatLooksLikeAFormulaIsDefusedAndQuoted() {
        JsonObject line = new JsonObject().put("start", "2027-02-08T10:00:00+09:00").put("noticeNumber", "7600000001")
                .put("code", "1234567890").put("channel", "operator").put("state", "active")
                .put("note", "=HYPERLINK(\"http://x\",\"y\")").put("needs", new JsonObject().put("wheelchair", true).put("other", "-1, 2"));
        String csv = DayCsv.of(List.of(line));
        assertTrue(csv.startsWith("\uFEFFstart,end,noticeNumber"), csv);
        String row = csv.split("\r\n")[1];
        assertTrue(row.endsWith(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), row);
        assertTrue(row.contains(",\"wheelchair -1, 2\","), "needs joined, the comma quoted: " + row);
        assertEquals("2027-02-08T10:00:00+09:00,,7600000001,1234567890,,operator,active,,,,\"wheelchair -1, 2\","
                + "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", row);
    }
}
