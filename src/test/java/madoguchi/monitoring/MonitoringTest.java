package madoguchi.monitoring;

import io.vertx.core.json.JsonObject;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.PhoneCall;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files in monitoring/ are valid for Prometheus (checked by promtool, as CI installs it), every
 * alert has a unit test, and every metric the alerts and the dashboard use is served by a running
 * service after a booking and a phone call — a renamed metric would otherwise silence an alert.
 */
class MonitoringTest {
    private static final Path MONITORING = Path.of("monitoring");
    private static final Pattern METRIC = Pattern.compile("\\b((?:madoguchi|vertx|jvm|process)_[a-z0-9_]+)");
    private static final String AUTH_TOKEN = "monitoring-auth-token";
    private static FakeTwilioApi twilioApi;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        twilioApi = new FakeTwilioApi();
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACmonitoring0123",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "TWILIO_FROM_NUMBER", "+81445550000",
                "TWILIO_API_BASE_URL", twilioApi.baseUrl()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        service.close();
        twilioApi.close();
    }

    @Test
    void prometheusAcceptsTheScrapeConfigAndTheRules() throws Exception {
        assertPromtool("check", "config", "monitoring/prometheus.yml");
        assertPromtool("check", "rules", "monitoring/alerts.yml");
        assertPromtool("test", "rules", "monitoring/alerts.test.yml");
    }

    @Test
    void everyAlertHasASummaryAnActionAndAUnitTest() throws IOException {
        String rules = Files.readString(MONITORING.resolve("alerts.yml"));
        String tests = Files.readString(MONITORING.resolve("alerts.test.yml"));
        Matcher alert = Pattern.compile("- alert: (\\w+)").matcher(rules);
        int count = 0;
        while (alert.find()) {
            count++;
            assertTrue(tests.contains("alertname: " + alert.group(1)), alert.group(1) + " has no unit test in alerts.test.yml");
        }
        assertTrue(count >= 10, "alert rules found: " + count);
        assertEquals(count, occurrences(rules, "summary:"), "every alert has a summary");
        assertEquals(count, occurrences(rules, "action:"), "every alert says what to do");
    }

    @Test
    void everyMetricOfTheAlertsAndTheDashboardIsServed() throws Exception {
        LocalDate day = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(3);
        long slot = service.siteWithOneSlot("watched", day, 1, 2);
        service.importCards("watched", 7_700_000_000L, 2);
        var booked = service.post("/api/v1/bookings", service.verify(7_700_000_000L), new JsonObject().put("slotId", slot));
        assertEquals(201, booked.status(), booked.body());
        // a caller asks for an operator, waits in the queue and hangs up
        PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, "+819011110000");
        call.dial();
        call.press("1");
        assertTrue(call.press("0").has("Enqueue"), call.last().xml);
        call.hangUp();

        Set<String> served = servedMetrics(service.metrics());
        Set<String> wanted = new TreeSet<>();
        wanted.addAll(metricsIn(Files.readString(MONITORING.resolve("alerts.yml"))));
        wanted.addAll(metricsIn(dashboardQueries()));
        assertTrue(wanted.size() > 15, "metrics referenced: " + wanted);
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(served);
        assertEquals(Set.of(), missing, "metrics used by monitoring/ but not served at /metrics");
    }

    private static String dashboardQueries() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(MONITORING.resolve("grafana/madoguchi-dashboard.json")));
        StringBuilder all = new StringBuilder();
        for (Object p : dashboard.getJsonArray("panels")) {
            for (Object t : ((JsonObject) p).getJsonArray("targets")) {
                all.append(((JsonObject) t).getString("expr")).append('\n');
            }
        }
        return all.toString();
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> servedMetrics(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int end = line.indexOf('{');
                names.add(line.substring(0, end > 0 ? end : line.indexOf(' ')));
            }
        }
        return names;
    }

    private static int occurrences(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    private static void assertPromtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is needed for this test (Debian: apt-get install prometheus; .ci/run installs it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
    }
}
