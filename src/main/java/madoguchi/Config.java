package madoguchi;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service's whole configuration, read once from the environment and validated at start-up.
 * docs/operations.md lists every variable.
 */
public record Config(
        int port,
        Optional<DatabaseUrl> database,
        Path dataDir,
        boolean demo,
        Optional<String> bootstrapAdminToken,
        Optional<URI> publicBaseUrl,
        Optional<TwilioAccount> twilio,
        URI twilioApiBaseUrl,
        int verifyPerAddressPerMinute,
        int verifyFailuresPerNoticePerHour,
        int shards,
        int databasePool,
        int allocatorQueueLimit,
        java.time.Duration allocatorWaitBudget,
        boolean jsonLogs,
        java.time.Duration sessionIdle,
        java.time.Duration sessionAbsolute,
        Optional<Path> ivrFlows,
        String ivrVoiceJa,
        String ivrVoiceEn,
        int verifyFailuresPerCallerPerHour,
        int verifyFailuresPer10Minutes,
        int bookingChangesPerCardPerDay,
        java.time.LocalTime reminderTime,
        java.time.Duration waitlistOffer,
        madoguchi.app.reminders.ReminderCalls.Mode reminderCalls,
        java.time.Duration idleTimeout,
        java.time.Duration headerTimeout,
        int managementPort,
        String managementHost,
        String callCenterNumber,
        java.time.Duration drainGrace,
        java.time.Duration drainTimeout,
        boolean sharedLimits,
        madoguchi.domain.CallCenterHours callCenterHours,
        Optional<String> holdMusicUrl,
        Map<String, String> operatorPhones) {

    /**
     * Connections to PostgreSQL. A resident's verification is a few short statements, each a commit that waits for
     * the WAL flush; PostgreSQL flushes the commits of every waiting connection at once, so under a surge more
     * connections mean more commits per flush. Not more than PostgreSQL's max_connections allows for every instance.
     */
    private static int databasePool(Map<String, String> env, int shards) {
        return integer(env, "MADOGUCHI_DB_POOL", Math.max(8, shards * 2 + 4), 2, 500);
    }

    /** A start-up configuration mistake: one clear line for the operator, exit code 2. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Where an external PostgreSQL is. */
    public record DatabaseUrl(String host, int port, String database, String user, String password) {
        @Override
        public String toString() {
            // never print the password
            return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
        }
    }

    public record TwilioAccount(String accountSid, String authToken, String fromNumber) {
        @Override
        public String toString() {
            return "TwilioAccount[accountSid=" + accountSid + ", fromNumber=" + (fromNumber == null ? "-" : "set") + "]";
        }
    }

    /** Cookies get the Secure flag when the service is reached over https. */
    public boolean secureCookies() {
        return publicBaseUrl.map(u -> "https".equals(u.getScheme())).orElse(false);
    }

    public boolean embedded() {
        return database.isEmpty();
    }

    public static Config fromEnvironment(Map<String, String> env) {
        int port = integer(env, "PORT", 8080, 0, 65535);
        Optional<DatabaseUrl> database = databaseUrl(env);
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", "./data"));
        boolean demo = bool(env, "MADOGUCHI_DEMO", database.isEmpty());
        Optional<String> bootstrap = optional(env, "MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN");
        if (bootstrap.isPresent() && bootstrap.get().length() < 16) {
            throw new Invalid("MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN must be at least 16 characters long");
        }
        Optional<URI> publicBase = optional(env, "PUBLIC_BASE_URL").map(v -> httpUri("PUBLIC_BASE_URL", v));
        Optional<TwilioAccount> twilio = twilio(env);
        URI apiBase = httpUri("TWILIO_API_BASE_URL", env.getOrDefault("TWILIO_API_BASE_URL", "https://api.twilio.com"));
        int verifyLimit = integer(env, "MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", 30, 1, 1_000_000);
        int noticeLimit = integer(env, "MADOGUCHI_VERIFY_FAILURES_PER_NOTICE_PER_HOUR", 10, 1, 1_000_000);
        int shards = integer(env, "MADOGUCHI_SHARDS", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 64);
        int queue = integer(env, "MADOGUCHI_ALLOCATOR_QUEUE", 4096, 16, 1_000_000);
        int waitMs = integer(env, "MADOGUCHI_ALLOCATOR_WAIT_MS", 1000, 0, 600_000);
        String logFormat = env.getOrDefault("MADOGUCHI_LOG_FORMAT", "text").toLowerCase(Locale.ROOT);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new Invalid("MADOGUCHI_LOG_FORMAT must be text or json, got '" + logFormat + "'");
        }
        int idleMinutes = integer(env, "MADOGUCHI_SESSION_IDLE_MINUTES", 30, 1, 24 * 60);
        int maxHours = integer(env, "MADOGUCHI_SESSION_MAX_HOURS", 12, 1, 24 * 7);
        if (idleMinutes > maxHours * 60) {
            throw new Invalid("MADOGUCHI_SESSION_IDLE_MINUTES must not exceed MADOGUCHI_SESSION_MAX_HOURS");
        }
        Optional<Path> ivrFlows = optional(env, "MADOGUCHI_IVR_FLOWS").map(Path::of);
        String voiceJa = voice(env, "MADOGUCHI_IVR_VOICE_JA", "Polly.Kazuha-Neural");
        String voiceEn = voice(env, "MADOGUCHI_IVR_VOICE_EN", "Polly.Joanna-Neural");
        int callerLimit = integer(env, "MADOGUCHI_VERIFY_FAILURES_PER_CALLER_PER_HOUR", 10, 1, 1_000_000);
        // failed verifications across the whole service before every source is slowed down; why 200: app/VerificationBrake
        int serviceLimit = integer(env, "MADOGUCHI_VERIFY_FAILURES_PER_10_MINUTES", 200, 10, 1_000_000);
        int changesLimit = integer(env, "MADOGUCHI_BOOKING_CHANGES_PER_CARD_PER_DAY", 10, 1, 1_000_000);
        // the abuse limits counted in PostgreSQL for every instance (shared), or in this instance's memory (local)
        String limits = env.getOrDefault("MADOGUCHI_LIMITS", "shared").toLowerCase(Locale.ROOT);
        if (!limits.equals("shared") && !limits.equals("local")) {
            throw new Invalid("MADOGUCHI_LIMITS must be shared or local, got '" + limits + "'");
        }
        // 0 = any free port (tests); Prometheus's own default, 9090, is avoided on purpose
        int managementPort = integer(env, "MANAGEMENT_PORT", 9464, 0, 65535);
        if (managementPort != 0 && managementPort == port) {
            throw new Invalid("MANAGEMENT_PORT must differ from PORT (metrics are not served on the public port)");
        }
        return new Config(port, database, dataDir, demo, bootstrap, publicBase, twilio, apiBase, verifyLimit, noticeLimit,
                shards, databasePool(env, shards), queue, java.time.Duration.ofMillis(waitMs), logFormat.equals("json"), java.time.Duration.ofMinutes(idleMinutes),
                java.time.Duration.ofHours(maxHours), ivrFlows, voiceJa, voiceEn, callerLimit, serviceLimit,
                changesLimit, reminderTime(env),
                java.time.Duration.ofMinutes(integer(env, "MADOGUCHI_WAITLIST_OFFER_MINUTES", 15, 1, 24 * 60)),
                reminderCalls(env, publicBase),
                // a connection that sends nothing (a stalled upload) is closed; a head sent byte by byte too
                java.time.Duration.ofSeconds(integer(env, "MADOGUCHI_IDLE_TIMEOUT_SECONDS", 60, 1, 3600)),
                java.time.Duration.ofSeconds(integer(env, "MADOGUCHI_HEADER_TIMEOUT_SECONDS", 10, 1, 300)),
                managementPort,
                optional(env, "MANAGEMENT_HOST").orElse("127.0.0.1"),
                // told to a resident a lock or a limit leaves stranded; the demo has a made-up one
                optional(env, "MADOGUCHI_CALL_CENTER_NUMBER").orElse(demo ? "0120-000-000" : null),
                // on SIGTERM: not ready at once, still serving for as long as the balancer takes to notice
                java.time.Duration.ofSeconds(integer(env, "MADOGUCHI_DRAIN_SECONDS", 5, 0, 300)),
                // then at most this long for the requests, batches and texts under way to end
                java.time.Duration.ofSeconds(integer(env, "MADOGUCHI_DRAIN_TIMEOUT_SECONDS", 20, 1, 600)),
                limits.equals("shared"),
                // when operators answer the phone; outside these hours callers are offered a call back
                callCenterHours(env),
                // what callers hear between announcements in the queue (default: the service's own soft tone)
                optional(env, "MADOGUCHI_HOLD_MUSIC_URL"),
                operatorPhones(env));
    }

    /** "alice=+819011112222, bob=+819033334444": the operators' phones, by number, naming the staff user. */
    private static Map<String, String> operatorPhones(Map<String, String> env) {
        Map<String, String> byPhone = new java.util.HashMap<>();
        String value = optional(env, "MADOGUCHI_OPERATOR_PHONES").orElse("");
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] nameAndPhone = part.trim().split("=");
            if (nameAndPhone.length != 2 || !nameAndPhone[1].trim().matches("\\+[1-9][0-9]{6,14}") || nameAndPhone[0].isBlank()) {
                throw new Invalid("MADOGUCHI_OPERATOR_PHONES must be name=+E164 pairs separated by commas, e.g. alice=+819011112222");
            }
            byPhone.put(nameAndPhone[1].trim(), nameAndPhone[0].trim());
        }
        return Map.copyOf(byPhone);
    }

    /** When the call center answers; always when unset (then pages print only its number). */
    static madoguchi.domain.CallCenterHours callCenterHours(Map<String, String> env) {
        try {
            return madoguchi.domain.CallCenterHours.parse(optional(env, "MADOGUCHI_CALL_CENTER_HOURS").orElse(null));
        } catch (IllegalArgumentException e) {
            throw new Invalid("MADOGUCHI_CALL_CENTER_HOURS: " + e.getMessage()
                    + " (e.g. \"mon-fri 08:30-17:15; sat 09:00-12:00; holiday closed\")");
        }
    }

    /** Browsers are told to use https only when the service is reached over https. */
    public boolean strictTransport() {
        return secureCookies();
    }

    private static madoguchi.app.reminders.ReminderCalls.Mode reminderCalls(Map<String, String> env, Optional<URI> publicBase) {
        String value = optional(env, "MADOGUCHI_REMINDER_CALLS").orElse("off").toLowerCase(Locale.ROOT);
        madoguchi.app.reminders.ReminderCalls.Mode mode = madoguchi.app.reminders.ReminderCalls.Mode.parse(value);
        if (mode == null) {
            throw new Invalid("MADOGUCHI_REMINDER_CALLS must be off, landline or all, got '" + value + "'");
        }
        if (mode != madoguchi.app.reminders.ReminderCalls.Mode.OFF && publicBase.isEmpty()) {
            // Twilio fetches the call's words from this address
            throw new Invalid("MADOGUCHI_REMINDER_CALLS=" + value + " needs PUBLIC_BASE_URL (the address Twilio fetches the call from)");
        }
        return mode;
    }

    private static java.time.LocalTime reminderTime(Map<String, String> env) {
        String value = optional(env, "MADOGUCHI_REMINDER_TIME").orElse("18:00");
        if (!value.matches("([01]?[0-9]|2[0-3]):[0-5][0-9]")) {
            throw new Invalid("MADOGUCHI_REMINDER_TIME must be a time of day HH:MM (Tokyo), got '" + value + "'");
        }
        String[] hm = value.split(":");
        return java.time.LocalTime.of(Integer.parseInt(hm[0]), Integer.parseInt(hm[1]));
    }

    static Optional<DatabaseUrl> databaseUrl(Map<String, String> env) {
        Optional<String> url = optional(env, "DATABASE_URL");
        if (url.isEmpty()) {
            return optional(env, "PGHOST").map(host -> new DatabaseUrl(host,
                    integer(env, "PGPORT", 5432, 1, 65535),
                    env.getOrDefault("PGDATABASE", env.getOrDefault("PGUSER", "postgres")),
                    env.getOrDefault("PGUSER", "postgres"),
                    env.getOrDefault("PGPASSWORD", "")));
        }
        return Optional.of(parseDatabaseUrl(url.get()));
    }

    static DatabaseUrl parseDatabaseUrl(String text) {
        String hint = "DATABASE_URL must look like postgresql://user[:password]@host[:port]/database";
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new Invalid(hint + " (it is not a valid URL)");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new Invalid(hint + " (the scheme must be postgresql)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new Invalid(hint + " (the host is missing)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw new Invalid(hint + " (the database name is missing)");
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        return new DatabaseUrl(uri.getHost(), port, decode(path.substring(1)), user, password);
    }

    private static Optional<TwilioAccount> twilio(Map<String, String> env) {
        Optional<String> sid = optional(env, "TWILIO_ACCOUNT_SID");
        Optional<String> token = optional(env, "TWILIO_AUTH_TOKEN");
        if (sid.isPresent() != token.isPresent()) {
            throw new Invalid("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together");
        }
        return sid.map(s -> new TwilioAccount(s, token.get(), optional(env, "TWILIO_FROM_NUMBER").orElse(null)));
    }

    private static String voice(Map<String, String> env, String name, String fallback) {
        String value = optional(env, name).orElse(fallback);
        if (madoguchi.telephony.Twiml.voice(value) == null) {
            throw new Invalid(name + " must be a Twilio <Say> voice such as Polly.Kazuha-Neural or Polly.Joanna-Neural, got '" + value + "'");
        }
        return value;
    }

    private static URI httpUri(String name, String value) {
        try {
            URI uri = new URI(value.trim());
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new Invalid(name + " must be an http(s) URL, got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Invalid(name + " must be an http(s) URL, got '" + value + "'");
        }
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new Invalid(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Invalid(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "1": case "yes": case "on":
                return true;
            case "false": case "0": case "no": case "off":
                return false;
            default:
                throw new Invalid(name + " must be true or false, got '" + value + "'");
        }
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
