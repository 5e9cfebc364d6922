package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monthly report against a fixture built from the seed report's numbers, one card row per
 * card: the J-LIS table of section 4 (applications and issuances, February to June 2021) and the
 * backlog of the separate sheet (applications 433,238 − issued 324,397 − cancelled 14,605 =
 * 94,236 at the end of June 2020). About 640,000 cards and 470,000 card events, written by
 * PostgreSQL itself.
 */
class MonthlyReportTest {
    static final int[] APPLICATIONS_2021 = {48_500, 78_141, 51_389, 20_193, 8_285};
    static final int[] ISSUANCES_2021 = {21_291, 22_525, 25_089, 28_789, 36_950};
    static final List<String> MONTHS_2021 = List.of("2021-02", "2021-03", "2021-04", "2021-05", "2021-06");
    static final List<String> SITES = List.of("kawasaki", "saiwai", "nakahara");
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), new MutableClock(Instant.parse("2021-07-13T00:00:00Z")));
        for (String site : SITES) {
            var r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                    .put("name", new JsonObject().put("ja", site).put("en", site)).put("kind", "ward"));
            assertEquals(201, r.status(), r.body());
        }
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement()) {
            // a bulk load: the secondary indexes are built once at the end rather than row by row
            c.setAutoCommit(false);
            st.execute("DROP INDEX cards_phone, cards_site_state, cards_applied_on, card_events_card, card_events_to_state_at");
            st.execute(fixture2021());
            st.execute("INSERT INTO card_events (card_id, at, from_state, to_state, source)"
                    + " SELECT id, ((date '2021-01-28' + (CASE " + thresholds("notice_number::bigint - 3000000000", ISSUANCES_2021)
                    + " END) * interval '1 month')::date + time '12:00') AT TIME ZONE 'Asia/Tokyo', 'ready', 'issued', 'fixture'"
                    + " FROM cards WHERE state = 'issued' AND notice_number LIKE '3%'");
            // June 2020: 433,238 applied since October 2015; the first 324,397 issued, the next 14,605 cancelled
            st.execute("INSERT INTO cards (notice_number, birth_date, site_id, state, cancel_reason, applied_on)"
                    + " SELECT (4000000000 + i)::text, date '1970-01-01', (ARRAY['kawasaki','saiwai','nakahara'])[1 + i % 3],"
                    + "  CASE WHEN i < 324397 THEN 'issued' WHEN i < 324397 + 14605 THEN 'cancelled' ELSE 'ready' END,"
                    + "  CASE WHEN i >= 324397 AND i < 324397 + 14605 THEN (ARRAY['moved_out','died','withdrawn','expired','moved_between_wards'])[1 + i % 5] END,"
                    + "  date '2015-10-05' + (i::bigint * 1700 / 433238)::int"
                    + " FROM generate_series(0, 433237) i");
            st.execute("INSERT INTO card_events (card_id, at, from_state, to_state, reason, source)"
                    + " SELECT id, (least(applied_on + 45, date '2020-06-30') + time '12:00') AT TIME ZONE 'Asia/Tokyo', 'ready', state,"
                    + "  cancel_reason, 'fixture' FROM cards WHERE notice_number LIKE '4%' AND state <> 'ready'");
            st.execute("CREATE INDEX cards_phone ON cards (phone) WHERE phone IS NOT NULL");
            st.execute("CREATE INDEX cards_site_state ON cards (site_id, state)");
            st.execute("CREATE INDEX cards_applied_on ON cards (applied_on)");
            st.execute("CREATE INDEX card_events_card ON card_events (card_id)");
            st.execute("CREATE INDEX card_events_to_state_at ON card_events (to_state, at)");
            c.commit();
            c.setAutoCommit(true);
            st.execute("ANALYZE");
        }
    }

    /** Cards applied February to June 2021 in the seed's numbers; the first 134,644 were issued. */
    private static String fixture2021() {
        int total = 0;
        for (int n : APPLICATIONS_2021) {
            total += n;
        }
        int issued = 0;
        for (int n : ISSUANCES_2021) {
            issued += n;
        }
        return "INSERT INTO cards (notice_number, birth_date, site_id, state, applied_on)"
                + " SELECT (3000000000 + i)::text, date '1980-01-01', (ARRAY['kawasaki','saiwai','nakahara'])[1 + i % 3],"
                + "  CASE WHEN i < " + issued + " THEN 'issued' ELSE 'ready' END,"
                + "  (date '2021-01-01' + (CASE " + thresholds("i", APPLICATIONS_2021) + " END) * interval '1 month')::date + i % 28"
                + " FROM generate_series(0, " + (total - 1) + ") i";
    }

    /** WHEN i < (cumulative count of month 1) THEN 1 ... : the month (1 = February) of the i-th card. */
    private static String thresholds(String i, int[] perMonth) {
        StringBuilder out = new StringBuilder();
        int cumulative = 0;
        for (int m = 0; m < perMonth.length; m++) {
            cumulative += perMonth[m];
            out.append(" WHEN ").append(i).append(" < ").append(cumulative).append(" THEN ").append(m + 1);
        }
        return out.toString();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void reproducesTheJLisTableOfSectionFour() {
        var r = service.get("/api/v1/admin/reports/monthly?from=2021-02&to=2021-06", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        JsonArray months = r.json().getJsonArray("months");
        assertEquals(5, months.size());
        long backlog = 94_236;
        for (int m = 0; m < 5; m++) {
            JsonObject month = months.getJsonObject(m);
            assertEquals(MONTHS_2021.get(m), month.getString("month"));
            assertEquals(APPLICATIONS_2021[m], month.getInteger("applications"), month.encode());
            assertEquals(ISSUANCES_2021[m], month.getInteger("issuances"), month.encode());
            assertEquals(0, month.getInteger("cancellations"));
            backlog += APPLICATIONS_2021[m] - ISSUANCES_2021[m];
            assertEquals(backlog, month.getLong("backlog"), "backlog carried from June 2020 on: " + month.encode());
        }
        assertEquals(166_100, backlog, "94,236 + 206,508 applied − 134,644 issued");
        // the sites add up to the city
        for (int m = 0; m < 5; m++) {
            int apps = 0, issued = 0;
            for (Object o : r.json().getJsonArray("sites")) {
                JsonObject month = ((JsonObject) o).getJsonArray("months").getJsonObject(m);
                apps += month.getInteger("applications");
                issued += month.getInteger("issuances");
            }
            assertEquals(APPLICATIONS_2021[m], apps);
            assertEquals(ISSUANCES_2021[m], issued);
        }
        // every third card is Kawasaki's: 48,500 cards numbered 0..48,499 → 16,167 in February
        JsonObject kawasaki = r.json().getJsonArray("sites").stream().map(o -> (JsonObject) o)
                .filter(o -> o.getString("siteId").equals("kawasaki")).findFirst().orElseThrow();
        assertEquals(16_167, kawasaki.getJsonArray("months").getJsonObject(0).getInteger("applications"));
    }

    @Test
    void reproducesTheBacklogArithmeticOfJune2020() {
        var r = service.get("/api/v1/admin/reports/monthly?from=2015-10&to=2020-06", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        JsonObject totals = r.json().getJsonObject("totals");
        assertEquals(433_238, totals.getLong("applications"));
        assertEquals(324_397, totals.getLong("issuances"));
        assertEquals(14_605, totals.getLong("cancellations"));
        assertEquals(94_236, totals.getLong("backlog"));
        JsonArray months = r.json().getJsonArray("months");
        assertEquals(57, months.size(), "October 2015 to June 2020");
        assertEquals(94_236, months.getJsonObject(56).getLong("backlog"));
        var june = service.get("/api/v1/admin/reports/monthly?from=2020-06&to=2020-06", TestService.ADMIN_TOKEN).json();
        assertEquals(94_236, june.getJsonArray("months").getJsonObject(0).getLong("backlog"), "earlier months carried into the backlog");
    }

    /**
     * The report's deadline question (マイナポイント: applied by 30 April 2021, card by 30 September),
     * answered as of 30 June 2021 from the office's own June pace: 36,950 issued in 30 days.
     */
    @Test
    void answersTheMynapointQuestionAsOfJune2021() {
        String q = "/api/v1/admin/reports/outlook?asOf=2021-06-30&days=30&appliedBy=2021-04-30&deadline=2021-09-30";
        var r = service.get(q, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        JsonObject city = r.json().getJsonObject("city");
        assertEquals(166_100, city.getInteger("waiting"), "the backlog of the monthly report: " + city.encode());
        assertEquals(137_622, city.getInteger("waitingAppliedBy"), "94,236 from before June 2020 + 178,030 applied Feb-Apr − 134,644 issued");
        assertEquals(1231.7, city.getDouble("issuedPerDay"), "36,950 / 30");
        assertEquals("2021-10-20", city.getString("appliedByIssuedOn"), "137,622 / 1,231.67 = 111.7 → 112 days after 30 June");
        assertEquals(false, city.getBoolean("feasible"));
        assertEquals(1_496, city.getInteger("neededPerDay"), "137,622 / 92 days");
        assertEquals(265, city.getInteger("extraNeededPerDay"));
        assertEquals("2021-11-12", city.getString("clearedOn"), "166,100 / 1,231.67 = 134.9 → 135 days");
        assertEquals(3, r.json().getJsonArray("sites").size());
        int perSite = 0;
        for (Object o : r.json().getJsonArray("sites")) {
            perSite += ((JsonObject) o).getInteger("waitingAppliedBy");
        }
        assertEquals(137_622, perSite, "the sites add up to the city");

        JsonObject withWalkIn = service.get(q + "&extraPerDay=300", TestService.ADMIN_TOKEN).json().getJsonObject("city");
        assertEquals(true, withWalkIn.getBoolean("feasible"), "300 more a day (a walk-in site, say) makes it");
        assertEquals("2021-09-28", withWalkIn.getString("appliedByIssuedOn"));
        assertEquals(400, service.get("/api/v1/admin/reports/outlook?days=3", TestService.ADMIN_TOKEN).status());
        assertEquals(400, service.get("/api/v1/admin/reports/outlook?asOf=2021-06-30&appliedBy=2021-07-01", TestService.ADMIN_TOKEN).status());
    }

    /** The same question asked on the reports page, as the card team would: the page answers from the same figures. */
    @Test
    void theReportsPageAnswersTheMynapointQuestionFromTheSeedsFigures() throws Exception {
        try (madoguchi.support.Browser browser = madoguchi.support.Browser.start()) {
            browser.driver.get(service.base() + "/admin/reports?lang=ja");
            browser.byId("token").sendKeys(TestService.ADMIN_TOKEN);
            browser.byId("auth-form").submit();
            browser.until(d -> !browser.byId("whatif-counter-site").findElements(org.openqa.selenium.By.tagName("option")).isEmpty());
            browser.js("document.getElementById('outlook-asof').value = '2021-06-30'; document.getElementById('outlook-applied').value = '2021-04-30';"
                    + " document.getElementById('outlook-deadline').value = '2021-09-30';");
            browser.byId("outlook-form").submit();
            browser.until(d -> browser.byId("outlook-answer").getText().contains("2021-10-20"));
            String answer = browser.byId("outlook-answer").getText();
            madoguchi.support.Axe.check(browser, "reports-mynapoint-answer");
            madoguchi.support.Axe.checkReflow(browser, "reports-mynapoint-answer");
            assertTrue(answer.matches(".*137,?622 件は、1日 1,?231\\.7 件の交付で 2021-10-20 に交付し終えます（期限 2021-09-30: 間に合わない）.*"), answer);

            // a walk-in site of 300 tickets every day, as the city opened at KSP in July 2021
            browser.byId("whatif-walkin-tickets").sendKeys("300");
            browser.byId("whatif-walkin-days").sendKeys("7");
            browser.byId("outlook-form").submit();
            browser.until(d -> browser.byId("outlook-answer").getText().contains("間に合う）"));
            assertTrue(browser.byId("outlook-answer").getText().contains("2021-09-28 に交付し終えます（期限 2021-09-30: 間に合う）"),
                    browser.byId("outlook-answer").getText());
            assertEquals(java.util.List.of(), browser.consoleErrors(), "errors in the browser console");
        }
    }

    @Test
    void csvHasOneLinePerMonthForTheCityAndEachSite() {
        var r = service.get("/api/v1/admin/reports/monthly.csv?from=2021-02&to=2021-06", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/csv"), r.header("Content-Type"));
        String[] lines = r.body().split("\r\n");
        assertEquals("month,siteId,applications,issuances,cancellations,noShows,backlog", lines[0]);
        assertEquals(1 + 5 * (1 + SITES.size()), lines.length);
        assertEquals("2021-03,all,78141,22525,0,0," + (94_236 + 48_500 - 21_291 + 78_141 - 22_525), lines[2]);
        assertEquals("2021-06,all,8285,36950,0,0,166100", lines[5]);
        var viaQuery = service.get("/api/v1/admin/reports/monthly?from=2021-02&to=2021-06&format=csv", TestService.ADMIN_TOKEN);
        assertEquals(r.body(), viaQuery.body());
    }

    @Test
    void badMonthsAndMissingAuthAreRefused() {
        assertEquals(401, service.get("/api/v1/admin/reports/monthly", null).status());
        for (String q : List.of("from=2021-13", "from=2021-6", "from=2021-06&to=2021-02", "format=xml", "to=abc")) {
            var r = service.get("/api/v1/admin/reports/monthly?" + q, TestService.ADMIN_TOKEN);
            assertEquals(400, r.status(), q + " " + r.body());
            assertEquals("invalid_request", r.json().getString("error"));
        }
    }
}
