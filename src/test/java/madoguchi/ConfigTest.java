package madoguchi;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    @Test
    void defaultsRunTheEmbeddedDatabaseWithDemoData() {
        Config c = Config.fromEnvironment(Map.of());
        assertEquals(8080, c.port());
        assertTrue(c.embedded());
        assertTrue(c.demo());
        assertEquals(Path.of("./data"), c.dataDir());
        assertEquals(30, c.verifyPerAddressPerMinute());
        assertEquals("https://api.twilio.com", c.twilioApiBaseUrl().toString());
        assertTrue(c.twilio().isEmpty());
    }

    @Test
    void anExternalDatabaseTurnsTheDemoOffUnlessAskedFor() {
        Config c = Config.fromEnvironment(Map.of("DATABASE_URL", "postgresql://app:s%40cret@db.example:6543/madoguchi"));
        assertFalse(c.embedded());
        assertFalse(c.demo());
        Config.DatabaseUrl db = c.database().orElseThrow();
        assertEquals("db.example", db.host());
        assertEquals(6543, db.port());
        assertEquals("madoguchi", db.database());
        assertEquals("app", db.user());
        assertEquals("s@cret", db.password());
        assertFalse(db.toString().contains("cret"), "the password is never printed");
        assertTrue(Config.fromEnvironment(Map.of("DATABASE_URL", "postgres://h/db", "MADOGUCHI_DEMO", "true")).demo());
    }

    @Test
    void badValuesAreRefusedWithAClearMessage() {
        assertEquals("PORT must be a whole number, got 'eighty'",
                assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("PORT", "eighty"))).getMessage());
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("PORT", "70000")))
                .getMessage().contains("between 0 and 65535"));
        for (String url : List.of("mysql://h/db", "postgresql://", "postgresql://host", "not a url", "postgresql://h/a/b")) {
            assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("DATABASE_URL", url)))
                    .getMessage().startsWith("DATABASE_URL must look like"), url);
        }
        assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_DEMO", "maybe")));
        assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("TWILIO_ACCOUNT_SID", "AC1")));
        assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("PUBLIC_BASE_URL", "ftp://x")));
        assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN", "short")));
    }

    @Test
    void theProcessStopsWithExitCodeTwoAndOneLine() throws Exception {
        for (Map<String, String> env : List.of(Map.of("PORT", "abc"), Map.of("DATABASE_URL", "mysql://x/y"))) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "madoguchi.Main");
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String output = new String(p.getInputStream().readAllBytes()).strip();
            assertEquals(2, p.exitValue(), output);
            assertEquals(1, output.lines().count(), output);
            assertTrue(output.startsWith("madoguchi: "), output);
        }
    }

    @Test
    void phoneSettingsHaveDefaultsAndBadOnesAreRefused() {
        Config c = Config.fromEnvironment(Map.of());
        assertEquals("Polly.Kazuha-Neural", c.ivrVoiceJa(), "neural voices by default");
        assertEquals("Polly.Joanna-Neural", c.ivrVoiceEn());
        assertEquals(10, c.verifyFailuresPerCallerPerHour());
        assertTrue(c.ivrFlows().isEmpty());
        assertEquals(Path.of("/etc/flows"), Config.fromEnvironment(Map.of("MADOGUCHI_IVR_FLOWS", "/etc/flows")).ivrFlows().get());
        assertEquals("Polly.Takumi", Config.fromEnvironment(Map.of("MADOGUCHI_IVR_VOICE_JA", "Polly.Takumi")).ivrVoiceJa(), "still configurable");
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_IVR_VOICE_EN", "Robot.Bob")))
                .getMessage().startsWith("MADOGUCHI_IVR_VOICE_EN must be a Twilio <Say> voice"));
        assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_VERIFY_FAILURES_PER_CALLER_PER_HOUR", "0")));
    }

    @Test
    void aBrokenPhoneFlowStopsStartUpWithExitCodeTwoNamingFileStateAndReason() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("flows");
        java.nio.file.Files.createDirectories(dir.resolve("prompts"));
        for (String f : List.of("prompts/ja.json", "prompts/en.json")) {
            java.nio.file.Files.copy(Path.of("ivr-flows").resolve(f), dir.resolve(f));
        }
        java.nio.file.Files.writeString(dir.resolve("default.flow.json"), java.nio.file.Files.readString(Path.of("ivr-flows/default.flow.json"))
                .replace("\"1\": \"book_notice\"", "\"1\": \"nowhere\""));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "madoguchi.Main");
        pb.environment().put("MADOGUCHI_IVR_FLOWS", dir.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String output = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(2, p.exitValue(), output);
        assertEquals(1, output.lines().count(), output);
        assertEquals("madoguchi: the phone flow is broken: " + dir.resolve("default.flow.json")
                + ": state 'menu': 'choice 1' goes to 'nowhere', which is not a state", output);
    }

    @Test
    void reminderTimeDefaultsToSixPmAndMustBeATimeOfDay() {
        assertEquals(java.time.LocalTime.of(18, 0), Config.fromEnvironment(Map.of()).reminderTime());
        assertEquals(java.time.LocalTime.of(9, 30), Config.fromEnvironment(Map.of("MADOGUCHI_REMINDER_TIME", "09:30")).reminderTime());
        assertEquals(java.time.LocalTime.of(7, 5), Config.fromEnvironment(Map.of("MADOGUCHI_REMINDER_TIME", "7:05")).reminderTime());
        for (String bad : List.of("24:00", "18", "6pm", "18:60")) {
            assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_REMINDER_TIME", bad)))
                    .getMessage().startsWith("MADOGUCHI_REMINDER_TIME must be a time of day"), bad);
        }
    }

    @Test
    void theServiceWideVerificationBudgetHasADefaultAndABound() {
        assertEquals(200, Config.fromEnvironment(Map.of()).verifyFailuresPer10Minutes());
        assertEquals(1000, Config.fromEnvironment(Map.of("MADOGUCHI_VERIFY_FAILURES_PER_10_MINUTES", "1000")).verifyFailuresPer10Minutes());
        for (String bad : List.of("0", "9", "lots")) {
            assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_VERIFY_FAILURES_PER_10_MINUTES", bad)))
                    .getMessage().startsWith("MADOGUCHI_VERIFY_FAILURES_PER_10_MINUTES must be"), bad);
        }
    }

    @Test
    void theLimitsAreSharedUnlessAskedToBeLocal() {
        assertTrue(Config.fromEnvironment(Map.of()).sharedLimits());
        assertTrue(Config.fromEnvironment(Map.of("MADOGUCHI_LIMITS", "SHARED")).sharedLimits());
        assertFalse(Config.fromEnvironment(Map.of("MADOGUCHI_LIMITS", "local")).sharedLimits());
        assertEquals("MADOGUCHI_LIMITS must be shared or local, got 'redis'",
                assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_LIMITS", "redis"))).getMessage());
    }

    @Test
    void connectionTimeoutsAndTheManagementPortHaveDefaultsAndBounds() {
        Config c = Config.fromEnvironment(Map.of());
        assertEquals(java.time.Duration.ofSeconds(60), c.idleTimeout());
        assertEquals(java.time.Duration.ofSeconds(10), c.headerTimeout());
        assertEquals(9464, c.managementPort());
        assertEquals("127.0.0.1", c.managementHost());
        Config set = Config.fromEnvironment(Map.of("MADOGUCHI_IDLE_TIMEOUT_SECONDS", "5", "MADOGUCHI_HEADER_TIMEOUT_SECONDS", "3",
                "MANAGEMENT_PORT", "9100", "MANAGEMENT_HOST", "0.0.0.0"));
        assertEquals(java.time.Duration.ofSeconds(5), set.idleTimeout());
        assertEquals(java.time.Duration.ofSeconds(3), set.headerTimeout());
        assertEquals(9100, set.managementPort());
        assertEquals("0.0.0.0", set.managementHost());
        assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_IDLE_TIMEOUT_SECONDS", "0")));
        assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_HEADER_TIMEOUT_SECONDS", "301")));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("PORT", "9000", "MANAGEMENT_PORT", "9000")))
                .getMessage().startsWith("MANAGEMENT_PORT must differ from PORT"));
    }

    @Test
    void strictTransportOnlyForAnHttpsPublicAddress() {
        assertFalse(Config.fromEnvironment(Map.of()).strictTransport());
        assertFalse(Config.fromEnvironment(Map.of("PUBLIC_BASE_URL", "http://madoguchi.example.jp")).strictTransport());
        assertTrue(Config.fromEnvironment(Map.of("PUBLIC_BASE_URL", "https://madoguchi.example.jp")).strictTransport());
    }

    @Test
    void theCallCenterHoursAreReadOnceAndAMalformedValueStopsTheStart() {
        assertEquals("Mon–Fri 8:30–17:15, Sat 9:00–12:00, holidays closed", Config.fromEnvironment(Map.of("MADOGUCHI_CALL_CENTER_HOURS",
                "Mon-Fri 08:30-17:15; Sat 09:00-12:00; holiday closed")).callCenterHours().text(true));
        assertEquals("月〜金 8:30〜17:15、土 9:00〜12:00、祝日 休み", Config.fromEnvironment(Map.of("MADOGUCHI_CALL_CENTER_HOURS",
                "mon-fri 08:30-17:15; sat 09:00-12:00")).callCenterHours().text(false));
        assertTrue(Config.fromEnvironment(Map.of()).callCenterHours().always(), "unset: operators answer at any time");
        assertEquals("", Config.fromEnvironment(Map.of()).callCenterHours().text(false), "and pages print no hours");
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.fromEnvironment(Map.of("MADOGUCHI_CALL_CENTER_HOURS", "weekdays 9-5")))
                .getMessage().startsWith("MADOGUCHI_CALL_CENTER_HOURS: "));
    }
}
