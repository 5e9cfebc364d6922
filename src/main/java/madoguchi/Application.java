package madoguchi;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.AllocatorMetrics;
import madoguchi.app.booking.AllocatorSettings;
import madoguchi.app.verification.AttemptLimiter;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.booking.BookingMetrics;
import madoguchi.app.DatabaseHealth;
import madoguchi.app.capacity.CapacityTuning;
import madoguchi.app.cards.CardLifecycle;
import madoguchi.app.reports.Reports;
import madoguchi.app.verification.ResidentTokens;
import madoguchi.app.capacity.SlotCalendar;
import madoguchi.app.capacity.Sites;
import madoguchi.app.sms.NoTextMessages;
import madoguchi.app.sms.SmsOutbox;
import madoguchi.app.sms.TextMessages;
import madoguchi.store.PgCallbackStore;
import madoguchi.store.PgSmsOutboxStore;
import madoguchi.telephony.Flow;
import madoguchi.telephony.IvrMetrics;
import madoguchi.telephony.Telephony;
import madoguchi.telephony.TwilioMessages;
import madoguchi.app.staff.Users;
import madoguchi.http.AdminApi;
import madoguchi.http.CardUpload;
import madoguchi.http.ConsoleRoutes;
import madoguchi.http.HttpParts;
import madoguchi.http.HttpVerticle;
import madoguchi.http.ManagementVerticle;
import madoguchi.http.OperatorApi;
import madoguchi.http.ReportsApi;
import madoguchi.http.ResidentApi;
import madoguchi.http.WaitlistApi;
import madoguchi.store.Database;
import madoguchi.store.DemoData;
import madoguchi.store.PgAudit;
import madoguchi.store.PgBookingStore;
import madoguchi.store.PgCalendarStore;
import madoguchi.store.PgCapacityStore;
import madoguchi.store.PgCardImport;
import madoguchi.store.PgCardStore;
import madoguchi.store.PgFailures;
import madoguchi.store.PgLifecycle;
import madoguchi.store.PgReports;
import madoguchi.store.PgSeatJournal;
import madoguchi.store.PgSeatSource;
import madoguchi.store.PgSiteStore;
import madoguchi.store.PgSlotBlocks;
import madoguchi.store.PgUserStore;
import madoguchi.store.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The running service, wired by hand: database (embedded or external), migrations, demo data,
 * Vert.x with Prometheus metrics, the allocator, and the HTTP server.
 */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** Demo data only (MADOGUCHI_DEMO); documented in the README. */
    public static final String DEMO_OPERATOR_PASSWORD = "operator-demo-2021";
    public static final String DEMO_ADMIN_PASSWORD = "admin-demo-2021";

    private final Database database;
    private final Vertx vertx;
    private final Parts parts;
    private final int managementPort;

    /**
     * The parts of the running service that tests drive by hand: a job run now instead of waiting
     * for its timer, a slot's seats read from the allocator's memory, a meter read.
     */
    public record Parts(Allocator allocator, BookingDesk desk, CapacityTuning capacity, madoguchi.app.cards.CardStore cards,
                        CardLifecycle lifecycle, PrometheusMeterRegistry registry, madoguchi.app.reminders.Reminders reminders,
                        madoguchi.app.reminders.ReminderCalls reminderCalls, SmsOutbox sms, madoguchi.app.waitlist.Waitlist waitlist) {
    }

    private Application(Database database, Vertx vertx, Parts parts, int managementPort) {
        this.database = database;
        this.vertx = vertx;
        this.parts = parts;
        this.managementPort = managementPort;
    }

    /** The port /metrics is served on (MANAGEMENT_PORT, or the one chosen when that is 0). */
    public int managementPort() {
        return managementPort;
    }

    /** The running parts tests drive by hand (see {@link Parts}). */
    public Parts services() {
        return parts;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Database database() {
        return database;
    }

    /** Starts everything and returns when the HTTP port answers; throws when anything fails. */
    public static Application start(Config config, Clock clock) throws Exception {
        // a broken phone flow stops start-up before anything else, naming the file, state and reason
        Flow flow = Flow.load(config.ivrFlows().orElse(null));
        Database database = Database.open(config);
        try {
            return start(config, clock, database, flow);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    private static Application start(Config config, Clock clock, Database database, Flow flow) throws Exception {
        database.migrate();
        byte[] tokenKey;
        madoguchi.domain.BookingCode codes;
        try (Connection c = database.jdbc()) {
            // decided before anything could write a booking: a new installation keys its codes
            codes = Settings.bookingCodeKey(c).map(madoguchi.app.booking.BookingCodeKey::codes)
                    .orElseGet(madoguchi.domain.BookingCode::legacy);
            if (config.demo()) {
                DemoData.loadIfEmpty(database);
            }
            if (config.demo()) {
                // demo only: console sign-ins whose passwords the README gives
                PgUserStore.ensureDemoStaff(c, "demo-operator", madoguchi.app.staff.Principal.Role.OPERATOR,
                        () -> madoguchi.app.staff.Passwords.hash(DEMO_OPERATOR_PASSWORD));
                PgUserStore.ensureDemoStaff(c, "demo-admin", madoguchi.app.staff.Principal.Role.ADMIN,
                        () -> madoguchi.app.staff.Passwords.hash(DEMO_ADMIN_PASSWORD));
            }
            String fresh = PgUserStore.bootstrap(c, config.bootstrapAdminToken());
            if (fresh != null) {
                // shown once: it is stored only as a digest
                System.out.println("madoguchi: no administrator token existed, so one was made for the user 'bootstrap':");
                System.out.println("madoguchi:   " + fresh);
                System.out.println("madoguchi: keep it safe; it is not shown again (set MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN to choose your own).");
            }
            tokenKey = Settings.residentTokenKey(c);
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // buckets for the HTTP answer time, so a dashboard can aggregate p99 over every instance
        registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.distribution.DistributionStatisticConfig configure(
                    io.micrometer.core.instrument.Meter.Id id, io.micrometer.core.instrument.distribution.DistributionStatisticConfig config) {
                if (id.getName().equals("vertx.http.server.response.time")) {
                    return io.micrometer.core.instrument.distribution.DistributionStatisticConfig.builder()
                            .percentilesHistogram(true).minimumExpectedValue(1e6).maximumExpectedValue(30e9).build().merge(config);
                }
                return config;
            }
        });
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
                        .setEnabled(true)
                        .setRegistryName("madoguchi-" + UUID.randomUUID())
                        .addLabels(Label.HTTP_ROUTE)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        try {
            Pool pool = database.pool(vertx, Math.max(8, config.shards() * 2 + 4));
            PgSiteStore siteStore = new PgSiteStore(pool);
            Sites sites = new Sites(siteStore);
            sites.reload().await(30, TimeUnit.SECONDS);
            Allocator allocator = Allocator.start(vertx, config.shards(),
                    sites.all().stream().map(s -> s.id()).collect(Collectors.toSet()),
                    new PgSeatJournal(pool), new PgSeatSource(pool), clock,
                    AllocatorSettings.defaults(config.allocatorQueueLimit(), config.allocatorWaitBudget()), new AllocatorMetrics(registry))
                    .await(60, TimeUnit.SECONDS);
            AllocatorMetrics.gaugeQueue(registry, allocator::queued);
            PgCalendarStore calendarStore = new PgCalendarStore(pool);
            SlotCalendar calendar = new SlotCalendar(calendarStore, sites, allocator, clock);
            int planned = calendar.materialize().await(60, TimeUnit.SECONDS);
            LOG.info("slots materialised for the booking horizon ({} planned)", planned);
            // new days enter the horizon at midnight; checking hourly keeps it full after any restart
            vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> calendar.materialize()
                    .onFailure(e -> LOG.warn("could not materialise slots: {}", e.toString())));
            vertx.setPeriodic(Duration.ofSeconds(30).toMillis(), id -> sites.reload());
            BookingMetrics bookingMetrics = new BookingMetrics(registry);

            BookingDesk desk = new BookingDesk(allocator, sites, clock, bookingMetrics, codes);
            PgCardStore cards = new PgCardStore(pool);
            PgBookingStore bookings = new PgBookingStore(pool);
            // one use case with every verification limit, for the web and the phone alike
            madoguchi.app.verification.Verification verification = new madoguchi.app.verification.Verification(cards, new madoguchi.app.verification.Verification.Limits(
                    new AttemptLimiter(config.verifyPerAddressPerMinute(), Duration.ofMinutes(1), clock),
                    new AttemptLimiter(config.verifyFailuresPerCallerPerHour(), Duration.ofHours(1), clock),
                    new AttemptLimiter(config.verifyFailuresPerNoticePerHour(), Duration.ofHours(1), clock)),
                    new madoguchi.app.verification.VerificationBrake(config.verifyFailuresPer10Minutes(), clock), registry);
            TextMessages messages = textMessages(config, vertx);
            // every text message (booking codes, cancellations by an administrator) waits in one
            // outbox until the provider took it; without a provider they wait for one
            SmsOutbox sms = new SmsOutbox(new PgSmsOutboxStore(pool), messages, clock, registry);
            if (!(messages instanceof NoTextMessages)) {
                vertx.setPeriodic(Duration.ofSeconds(30).toMillis(), id -> sms.retryDue()
                        .onFailure(e -> LOG.warn("SMS outbox retry failed: {}", e.toString())));
            }
            // the waitlist: a pass whenever a seat is given back, and every 15 s for holds that
            // expired and capacity that was added
            // the resident's changes, with the per-card change limit, for every channel
            madoguchi.app.booking.BookingChanges changes = new madoguchi.app.booking.BookingChanges(desk,
                    new AttemptLimiter(config.bookingChangesPerCardPerDay(), Duration.ofDays(1), clock), registry);
            madoguchi.app.waitlist.Waitlist waitlist = new madoguchi.app.waitlist.Waitlist(new madoguchi.store.PgWaitlistStore(pool), cards, desk,
                    changes, allocator, sites, sms, clock, config.waitlistOffer(), registry);
            desk.onSeatFreed(site -> waitlist.seatMayBeFree());
            vertx.setPeriodic(Duration.ofSeconds(15).toMillis(), id -> waitlist.tick()
                    .onFailure(e -> LOG.warn("waitlist pass failed: {}", e.toString())));
            Telephony telephony = new Telephony(new Telephony.Settings(
                    config.twilio().map(Config.TwilioAccount::authToken).orElse(null),
                    config.publicBaseUrl().map(Object::toString).orElse(null),
                    config.ivrVoiceJa(), config.ivrVoiceEn(), Duration.ofHours(2)),
                    flow, new Telephony.Needs(cards, bookings, changes, allocator, sites, verification,
                    messages instanceof NoTextMessages ? null : sms, clock, waitlist),
                    new PgCallbackStore(pool), new IvrMetrics(registry));
            LOG.info("phone flow read from {}; phone line {}", flow.source(),
                    telephony.enabled() ? "configured" : "not configured (webhooks answer 503)");
            madoguchi.app.staff.StaffSessions staffSessions = new madoguchi.app.staff.StaffSessions(new madoguchi.store.PgSessionStore(pool),
                    clock, config.sessionIdle(), config.sessionAbsolute());
            vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> staffSessions.purgeExpired()
                    .onFailure(e -> LOG.warn("could not purge console sessions: {}", e.toString())));
            // the optional reminder call: only with a provider and a public address Twilio can fetch it from
            madoguchi.app.reminders.ReminderCalls reminderCalls = new madoguchi.app.reminders.ReminderCalls(new madoguchi.store.PgReminderCalls(pool),
                    outboundCalls(config, vertx), config.reminderCalls(), clock, registry);
            // the day-before reminders, checked every minute; only with a provider, so none is sent late
            madoguchi.app.reminders.Reminders reminders = new madoguchi.app.reminders.Reminders(new madoguchi.store.PgReminders(pool), sms, clock,
                    config.reminderTime(), reminderCalls);
            if (!(messages instanceof NoTextMessages)) {
                vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), id -> reminders.runDue()
                        .onFailure(e -> LOG.warn("reminders could not be sent: {}", e.toString()))
                        // calls due now, and those to try again (placeDue does nothing without a provider)
                        .eventually(() -> reminderCalls.placeDue()
                                .onFailure(e -> LOG.warn("reminder calls could not be placed: {}", e.toString()))));
            }
            madoguchi.telephony.ReminderCall reminderCall = new madoguchi.telephony.ReminderCall(reminderCalls, changes, flow,
                    config.ivrVoiceJa(), config.ivrVoiceEn(), config.publicBaseUrl().map(Object::toString).orElse(null));
            madoguchi.app.verification.Lockouts.prepare(registry);
            PgFailures probe = new PgFailures(pool);
            DatabaseHealth.watch(vertx, probe, registry);
            Users users = new Users(new PgUserStore(pool));
            CardLifecycle lifecycle = new CardLifecycle(new PgLifecycle(pool), allocator, clock);
            Reports reports = new Reports(new PgReports(pool), clock);
            // staff changes: each written with its audit row in one transaction
            madoguchi.app.staff.StaffActions staff = new madoguchi.app.staff.StaffActions(desk, allocator, cards, bookings,
                    new PgSlotBlocks(pool), lifecycle, waitlist);
            madoguchi.app.staff.AdminActions admin = new madoguchi.app.staff.AdminActions(users, siteStore, sites, allocator, reports);
            ResidentTokens tokens = new ResidentTokens(tokenKey, clock, Duration.ofMinutes(30));
            CapacityTuning capacity = new CapacityTuning(new PgCapacityStore(pool), calendarStore, sites, allocator);
            madoguchi.telephony.SmsReplies smsReplies = new madoguchi.telephony.SmsReplies(cards, bookings, changes, reminders, waitlist,
                    config.callCenterNumber());
            HttpParts parts = new HttpParts(
                    new HttpParts.Server(config.port(), config.headerTimeout(), config.idleTimeout(), config.strictTransport(),
                            clock, config.callCenterNumber(), probe),
                    new HttpParts.Callers(tokens, users, staffSessions, config.publicBaseUrl()),
                    bookings,
                    new ResidentApi.Needs(sites, allocator, changes, verification, tokens, cards, bookings, clock, config.callCenterNumber()),
                    new OperatorApi.Needs(staff, sites, allocator, cards, bookings),
                    new WaitlistApi.Needs(waitlist, staff, sites, allocator, cards),
                    new AdminApi.Needs(admin, capacity, sites, new madoguchi.store.PgAuditLog(pool), sms),
                    new ReportsApi.Needs(reports, sites, staff, admin),
                    new CardUpload.Needs(new PgCardImport(pool), sites, lifecycle, desk, registry),
                    new ConsoleRoutes.Needs(staffSessions, new madoguchi.app.staff.SignInLimits(clock), users, new PgAudit(pool), clock,
                            config.publicBaseUrl(), config.secureCookies()),
                    new HttpParts.Phone(telephony, clock, smsReplies, reminders, reminderCall, reminderCalls));
            // a booking whose slot ended without the card being handed over becomes a no-show
            vertx.setPeriodic(Duration.ofSeconds(60).toMillis(), id -> lifecycle.sweepNoShows()
                    .onFailure(e -> LOG.warn("no-show sweep failed: {}", e.toString())));
            int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
            madoguchi.http.ImportPermits imports = new madoguchi.http.ImportPermits();
            vertx.deployVerticle(() -> new HttpVerticle(parts, imports), new DeploymentOptions().setInstances(instances))
                    .await(30, TimeUnit.SECONDS);
            ManagementVerticle management = new ManagementVerticle(new ManagementVerticle.Needs(config.managementHost(),
                    config.managementPort(), config.idleTimeout(), registry, bookingMetrics, allocator, sites, clock));
            vertx.deployVerticle(management).await(30, TimeUnit.SECONDS);
            LOG.info("madoguchi is listening on http://localhost:{}/ ({} database, {} allocator shards); metrics on http://{}:{}/metrics",
                    config.port(), config.embedded() ? "embedded" : "external", config.shards(), config.managementHost(), management.port());
            Parts running = new Parts(allocator, desk, capacity, cards, lifecycle, registry, reminders, reminderCalls, sms, waitlist);
            return new Application(database, vertx, running, management.port());
        } catch (Exception | Error e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Twilio SMS when the account and the sending number are configured, else sends that always fail. */
    private static TextMessages textMessages(Config config, Vertx vertx) {
        if (config.twilio().isPresent() && config.twilio().get().fromNumber() != null) {
            Config.TwilioAccount t = config.twilio().get();
            // with a public address, Twilio reports each message's delivery to /twilio/sms/status
            URI status = config.publicBaseUrl().map(u -> URI.create(u.toString().replaceAll("/+$", "") + "/twilio/sms/status")).orElse(null);
            return new TwilioMessages(vertx, t.accountSid(), t.authToken(), t.fromNumber(), config.twilioApiBaseUrl(), status);
        }
        LOG.warn("SMS are not sent: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER to send them");
        return new NoTextMessages();
    }

    /** Twilio calls when MADOGUCHI_REMINDER_CALLS is on and the account, number and public address are set; else null. */
    private static madoguchi.app.reminders.OutboundCalls outboundCalls(Config config, Vertx vertx) {
        if (config.reminderCalls() == madoguchi.app.reminders.ReminderCalls.Mode.OFF) {
            return null;
        }
        if (config.twilio().isEmpty() || config.twilio().get().fromNumber() == null || config.publicBaseUrl().isEmpty()) {
            LOG.warn("reminder calls are not placed: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER and PUBLIC_BASE_URL");
            return null;
        }
        Config.TwilioAccount t = config.twilio().get();
        return new madoguchi.telephony.TwilioCalls(vertx, t.accountSid(), t.authToken(), t.fromNumber(),
                config.twilioApiBaseUrl(), config.publicBaseUrl().get());
    }

    @Override
    public void close() {
        try {
            vertx.close().await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
        database.close();
    }
}
