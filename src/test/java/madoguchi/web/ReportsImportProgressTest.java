package madoguchi.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.Browser;
import madoguchi.support.HeldUpload;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The reports page while its status file is on the way, in a real Chromium: the upload goes
 * through {@link HeldUpload}, which lets exactly the header and 6,000 rows of the body through and
 * holds the rest; the page, polling the progress, shows a bar at the server's percent and "6,000
 * rows read"; once the rest is let through, the bar goes and the summary comes. In Japanese (an
 * import) and in English (a dry run).
 */
class ReportsImportProgressTest {
    private static final int ROWS = 12_000;
    private static final int HELD_AFTER = 6_000;
    private static TestService service;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        var r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "kawasaki")
                .put("name", new JsonObject().put("ja", "川崎区役所").put("en", "Kawasaki Ward Office")).put("kind", "ward"));
        assertEquals(201, r.status(), r.body());
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        service.close();
    }

    private static void waitFor(String script) {
        browser.waiting(Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(browser.js("return !!(" + script + ")")));
    }

    /** The administrator's running import once the server has read {@code bytes} and written the first 5,000 rows. */
    private static JsonObject serverFigure(long bytes) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (true) {
            var r = service.get("/api/v1/admin/cards/import/progress", TestService.ADMIN_TOKEN);
            assertEquals(200, r.status(), r.body());
            JsonArray imports = r.json().getJsonArray("imports");
            for (int i = 0; i < imports.size(); i++) {
                JsonObject f = imports.getJsonObject(i);
                if (f.getBoolean("mine") && f.getLong("bytesRead") == bytes && f.getLong("rowsWritten") == 5_000) {
                    return f;
                }
            }
            if (System.nanoTime() > until) {
                fail("the server never read the bytes let through: " + r.body());
            }
            Thread.sleep(20);
        }
    }

    private static void uploadHeld(String lang, boolean dryRun, String rowsRead, String summary) throws Exception {
        StringBuilder held = new StringBuilder("noticeNumber,birthDate,phone,siteId,state\n");
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            (i < HELD_AFTER ? held : rest).append(8_900_000_000L + i).append(",1980-01-01,,kawasaki,ready\n");
        }
        Path file = Files.createTempFile("status-", ".csv");
        Files.writeString(file, held.toString() + rest);
        long allowed = held.toString().getBytes(StandardCharsets.UTF_8).length;
        long total = Files.size(file);

        try (HeldUpload line = new HeldUpload(service.port, "POST /api/v1/admin/cards/import", allowed)) {
            browser.driver.get("http://127.0.0.1:" + line.port() + "/admin/reports?lang=" + lang);
            browser.byId("token").sendKeys(TestService.ADMIN_TOKEN);
            browser.byId("auth-form").submit();
            waitFor("document.querySelector('#forecast-table tbody tr')");
            browser.byId("import-file").sendKeys(file.toAbsolutePath().toString());
            if (dryRun) {
                browser.byId("import-dry").click();
            } else {
                browser.byId("import-form").submit();
            }

            JsonObject figure = serverFigure(allowed);
            assertEquals(HELD_AFTER, figure.getLong("rowsRead"));
            assertEquals(total, figure.getLong("bytesTotal"), "the browser declared the file's length");
            int percent = figure.getInteger("percent");
            assertEquals((int) (allowed * 100 / total), percent);
            waitFor("document.getElementById('import-rows').textContent === '" + rowsRead + " (" + percent + "%)'");
            assertEquals(false, browser.js("return document.getElementById('import-progress-box').hidden"));
            assertEquals(String.valueOf(percent), String.valueOf(browser.js("return document.getElementById('import-progress').value")));
            checked("reports-import-progress-" + lang);

            line.release();
            browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-result"), summary));
            assertEquals(true, browser.js("return document.getElementById('import-progress-box').hidden"), "the bar goes with the answer");
        }
    }

    /** axe-core (no serious or critical violation) and reflow at 320 px / 200 % text, then the screenshot. */
    private static void checked(String state) throws java.io.IOException {
        madoguchi.support.Axe.check(browser, state);
        madoguchi.support.Axe.checkReflow(browser, state);
        browser.screenshot(state);
    }

    @Test
    void theUploadShowsItsProgressThenItsSummary() throws Exception {
        uploadHeld("ja", false, "6,000 行を読み込みました", "新規 12,000 件");
        assertTrue(browser.byId("import-result").getText().contains("不正な行 0 件"), browser.byId("import-result").getText());
        var last = service.get("/api/v1/admin/cards/import/progress", TestService.ADMIN_TOKEN).json().getJsonObject("last");
        assertEquals("committed", last.getString("outcome"));
        assertEquals(ROWS, last.getLong("rowsRead"));

        uploadHeld("en", true, "6,000 rows read", "A dry run: nothing was kept.");
        assertTrue(browser.byId("import-result").getText().contains("0 new, 0 updated"), browser.byId("import-result").getText());
        assertEquals(List.of(), browser.consoleErrors(), "errors in the browser console");
    }
}
