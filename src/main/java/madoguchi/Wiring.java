package madoguchi;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.app.DatabaseProbe;
import madoguchi.app.calls.CallCenter;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.AllocatorMetrics;
import madoguchi.app.booking.AllocatorSettings;
import madoguchi.app.booking.BookingChanges;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.booking.BookingMetrics;
import madoguchi.app.capacity.CapacityTuning;
import madoguchi.app.changes.ChangeFollower;
import madoguchi.app.counter.BoardFeed;
import madoguchi.app.counter.CounterDesk;
import madoguchi.app.counter.WalkIn;
import madoguchi.app.counter.WalkInHours;
import madoguchi.app.sites.Sites;
import madoguchi.app.capacity.SlotCalendar;
import madoguchi.app.cards.CardImportStore;
import madoguchi.app.cards.CardLifecycle;
import madoguchi.app.reminders.OutboundCalls;
import madoguchi.app.reminders.ReminderCalls;
import madoguchi.app.reminders.Reminders;
import madoguchi.app.reports.Reports;
import madoguchi.app.sms.NoTextMessages;
import madoguchi.app.sms.SmsOutbox;
import madoguchi.app.sms.TextMessages;
import madoguchi.app.staff.AdminActions;
import madoguchi.app.staff.Audit;
import madoguchi.app.staff.AuditLog;
import madoguchi.app.staff.SignInLimits;
import madoguchi.app.staff.StaffActions;
import madoguchi.app.staff.StaffSessions;
import madoguchi.app.staff.Users;
import madoguchi.app.limits.AttemptLimiter;
import madoguchi.app.limits.Attempts;
import madoguchi.app.limits.Lockouts;
import madoguchi.app.verification.ResidentTokens;
import madoguchi.app.verification.Verification;
import madoguchi.app.verification.VerificationBrake;
import madoguchi.app.waitlist.Waitlist;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Site;
import madoguchi.store.Database;
import madoguchi.store.PgAttempts;
import madoguchi.store.PgAudit;
import madoguchi.store.PgAuditLog;
import madoguchi.store.PgBoardNews;
import madoguchi.store.PgCounterStore;
import madoguchi.store.PgWalkInStore;
import madoguchi.store.PgBookingStore;
import madoguchi.store.PgCalendarStore;
import madoguchi.store.PgCallbackStore;
import madoguchi.store.PgCallStates;
import madoguchi.store.PgCapacityStore;
import madoguchi.store.PgCardImport;
import madoguchi.store.PgCardStore;
import madoguchi.store.PgChangeNews;
import madoguchi.store.PgFailures;
import madoguchi.store.PgLifecycle;
import madoguchi.store.PgReminderCalls;
import madoguchi.store.PgReminders;
import madoguchi.store.PgReports;
import madoguchi.store.PgSeatJournal;
import madoguchi.store.PgSeatSource;
import madoguchi.store.PgSessionStore;
import madoguchi.store.PgSiteStore;
import madoguchi.store.PgSlotBlocks;
import madoguchi.store.PgSmsOutboxStore;
import madoguchi.store.PgUserStore;
import madoguchi.store.PgWaitlistStore;
import madoguchi.telephony.Flow;
import madoguchi.telephony.IvrMetrics;
import madoguchi.telephony.ReminderCall;
import madoguchi.telephony.SmsReplies;
import madoguchi.telephony.Telephony;
import madoguchi.telephony.TwilioCalls;
import madoguchi.telephony.TwilioMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The service wired by hand, part by part, in start-up order: the {@link #database database}'s
 * stores, the {@link #allocator allocator} with the sites and the slot calendar, the
 * {@link #useCases use cases} every channel shares; then {@link Jobs} and {@link HttpWiring}.
 * The records below are what one part hands to the next; none of them goes past this package.
 */
final class Wiring {
    // start-up lines keep the logger they were written with before the wiring was split
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private final Config config;
    private final Clock clock;
    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;

    Wiring(Config config, Clock clock, Vertx vertx, PrometheusMeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        this.registry = registry;
    }

    /**
     * The pool, the stores more than one part reads, the probe that tells whether the database
     * answers, and the news of changes other instances made (walk-in queues; sites and slots).
     */
    record Stores(Pool pool, PgSiteStore sites, PgCalendarStore calendar, PgCardStore cards, PgBookingStore bookings,
                  DatabaseProbe probe, PgBoardNews boardNews, PgChangeNews changes) {
    }

    /** The seats: the sites, the allocator's shards holding every slot, the calendar that plans them, the desk that books them. */
    record Seats(Sites sites, Allocator allocator, SlotCalendar calendar, BookingDesk desk, BookingMetrics metrics) {
    }

    /** Text messages: the provider (or none), and the outbox every message waits in until the provider took it. */
    record Texts(TextMessages provider, SmsOutbox outbox) {
        /** Whether a provider is configured; without one, messages wait in the outbox. */
        boolean sending() {
            return !(provider instanceof NoTextMessages);
        }
    }

    /** The resident's journey on every channel: verification, signed tokens, changes with their limit, the waitlist. */
    record Residents(Verification verification, ResidentTokens tokens, BookingChanges changes, Waitlist waitlist) {
    }

    /** The phone line, and what reminds residents by text and by call and reads their replies. */
    record Phone(Telephony line, ReminderCalls reminderCalls, Reminders reminders, ReminderCall reminderCall, SmsReplies replies) {
    }

    /** Who may sign in to the staff console: sessions, sign-in limits, logins, and the audit row of each sign-in. */
    record Console(StaffSessions sessions, SignInLimits signIns, Users users, Audit audit) {
    }

    /** What staff do, each change audited: operators' and administrators' actions, capacity, hand-overs, reports, imports. */
    record Staff(StaffActions actions, AdminActions admin, CapacityTuning capacity, CardLifecycle lifecycle, Reports reports,
                 AuditLog auditLog, CardImportStore cardImport) {
    }

    /** The counter's day: visits and their steps, the walk-in queue, and the boards that show it. */
    record Counter(CounterDesk desk, WalkIn walkIn, BoardFeed boards, WalkInHours hours) {
    }

    /**
     * The abuse limits: counted in PostgreSQL where every instance sees them ({@code shared}, null
     * with {@code MADOGUCHI_LIMITS=local}), or in this instance's memory.
     */
    record Limits(Verification.Limits verification, VerificationBrake brake, Attempts changesPerCard, SignInLimits signIns,
                  PgAttempts shared) {
    }

    /** Every use case, by concern. */
    record UseCases(Texts texts, Residents residents, Phone phone, Console console, Staff staff, Counter counter, Limits limits) {
    }

    Stores database(Database database) {
        Pool pool = database.pool(vertx, config.databasePool());
        PgBoardNews boardNews = new PgBoardNews(vertx, database.connectOptions());
        // boards still answer without it (they catch up at the next change): start-up does not wait on it
        boardNews.start();
        // started once the caches listen to it (allocator)
        PgChangeNews changes = new PgChangeNews(vertx, database.connectOptions());
        return new Stores(pool, new PgSiteStore(pool, changes), new PgCalendarStore(pool, changes), new PgCardStore(pool),
                new PgBookingStore(pool), new PgFailures(pool), boardNews, changes);
    }

    /** Reads the sites, starts the allocator's shards over their slots, and fills the booking horizon once. */
    Seats allocator(Stores stores, BookingCode codes) throws Exception {
        Sites sites = new Sites(stores.sites());
        sites.reload().await(30, TimeUnit.SECONDS);
        Allocator allocator = Allocator.start(vertx, config.shards(),
                sites.all().stream().map(Site::id).collect(Collectors.toSet()),
                new PgSeatJournal(stores.pool()), new PgSeatSource(stores.pool()), clock,
                AllocatorSettings.defaults(config.allocatorQueueLimit(), config.allocatorWaitBudget()), new AllocatorMetrics(registry),
                stores.probe(), codes)
                .await(60, TimeUnit.SECONDS);
        AllocatorMetrics.gaugeQueue(registry, allocator::queued);
        // a site first seen on a later reload (opened on another instance) is bookable with its slots
        sites.onAdded(allocator::reload);
        // other instances' changes, applied within a moment; each (re)connection reads everything
        // again, this first one included (changes made since the reads above were not heard)
        new ChangeFollower(stores.changes(), sites, allocator, vertx);
        stores.changes().start();
        SlotCalendar calendar = new SlotCalendar(stores.calendar(), sites, allocator, clock);
        int planned = calendar.materialize().await(60, TimeUnit.SECONDS);
        LOG.info("slots materialised for the booking horizon ({} planned)", planned);
        BookingMetrics metrics = new BookingMetrics(registry);
        return new Seats(sites, allocator, calendar, new BookingDesk(allocator, sites, clock, metrics, codes), metrics);
    }

    UseCases useCases(Stores stores, Seats seats, Flow flow, byte[] tokenKey) {
        Texts texts = texts(stores);
        Limits limits = limits(stores, tokenKey);
        Residents residents = residents(stores, seats, texts, tokenKey, limits);
        // the walk-in sites' hours, told on the resident page and on the phone
        WalkInHours hours = new WalkInHours(seats.sites(), seats.allocator(), clock);
        Phone phone = phone(stores, seats, texts, residents, flow, hours);
        Console console = console(stores, limits);
        Staff staff = staff(stores, seats, residents, console);
        return new UseCases(texts, residents, phone, console, staff, counter(stores, staff, texts, hours), limits);
    }

    private Counter counter(Stores stores, Staff staff, Texts texts, WalkInHours hours) {
        WalkIn walkIn = new WalkIn(new PgWalkInStore(stores.pool()), texts.outbox(), clock);
        return new Counter(new CounterDesk(new PgCounterStore(stores.pool()), staff.lifecycle(), clock, registry), walkIn,
                new BoardFeed(stores.boardNews(), walkIn, vertx), hours);
    }

    /** Every text message (booking codes, cancellations by an administrator) waits in one outbox until the provider took it. */
    private Texts texts(Stores stores) {
        TextMessages provider = textMessages();
        return new Texts(provider, new SmsOutbox(new PgSmsOutboxStore(stores.pool()), provider, clock, registry));
    }

    private Limits limits(Stores stores, byte[] tokenKey) {
        Duration minute = Duration.ofMinutes(1);
        Duration hour = Duration.ofHours(1);
        Duration day = Duration.ofDays(1);
        if (!config.sharedLimits()) {
            LOG.warn("abuse limits are counted in this instance's memory only (MADOGUCHI_LIMITS=local): run one instance");
            return new Limits(new Verification.Limits(
                    new AttemptLimiter(config.verifyPerAddressPerMinute(), minute, clock),
                    new AttemptLimiter(config.verifyFailuresPerCallerPerHour(), hour, clock),
                    new AttemptLimiter(config.verifyFailuresPerNoticePerHour(), hour, clock)),
                    new VerificationBrake(config.verifyFailuresPer10Minutes(), clock),
                    new AttemptLimiter(config.bookingChangesPerCardPerDay(), day, clock), new SignInLimits(clock), null);
        }
        // every instance counts in the same rows of attempt_counts (docs/operations.md, "Limits against abuse")
        PgAttempts shared = new PgAttempts(stores.pool(), clock, tokenKey);
        Attempts perAddress = shared.limit("verify_address", config.verifyPerAddressPerMinute(), minute);
        Attempts perNotice = shared.limit("verify_notice", config.verifyFailuresPerNoticePerHour(), hour);
        return new Limits(new Verification.Limits(perAddress,
                shared.limit("verify_caller", config.verifyFailuresPerCallerPerHour(), hour), perNotice),
                new VerificationBrake(config.verifyFailuresPer10Minutes(), clock,
                        shared.limit("verify_paced", 1, VerificationBrake.PAUSE), shared.tally("verify_failures")),
                // on the booking path: decided in memory, written in batches (PgBatchedLimit says what that costs)
                shared.batched("booking_changes", config.bookingChangesPerCardPerDay(), day),
                new SignInLimits(clock, shared.limit("signin_address", SignInLimits.FAILURES_PER_ADDRESS, SignInLimits.ADDRESS_WINDOW),
                        shared.backoff("signin_pair", SignInLimits.PAIR_RULE)),
                shared);
    }

    private Residents residents(Stores stores, Seats seats, Texts texts, byte[] tokenKey, Limits limits) {
        // one use case with every verification limit, for the web and the phone alike
        // shared limits: the web's two limits and the lookup in one statement (the phone's go one after the other)
        Verification verification = new Verification(stores.cards(), limits.verification(), limits.brake(), registry,
                limits.shared() == null ? null
                        : limits.shared().webAttempts(limits.verification().perAddress(), limits.verification().failuresPerNotice()));
        Lockouts.prepare(registry);
        // the resident's changes, with the per-card change limit, for every channel
        BookingChanges changes = new BookingChanges(seats.desk(), limits.changesPerCard(), registry);
        Waitlist waitlist = new Waitlist(new PgWaitlistStore(stores.pool()), stores.cards(), seats.desk(), changes,
                seats.allocator(), seats.sites(), texts.outbox(), clock, config.waitlistOffer(), registry);
        // a pass whenever a seat is given back (and every 15 s: Jobs)
        seats.desk().onSeatFreed(site -> waitlist.seatMayBeFree());
        return new Residents(verification, new ResidentTokens(tokenKey, clock, Duration.ofMinutes(30)), changes, waitlist);
    }

    private Phone phone(Stores stores, Seats seats, Texts texts, Residents residents, Flow flow, WalkInHours hours) {
        String publicBase = config.publicBaseUrl().map(Object::toString).orElse(null);
        Telephony line = new Telephony(new Telephony.Settings(config.twilio().map(Config.TwilioAccount::authToken).orElse(null),
                publicBase, config.ivrVoiceJa(), config.ivrVoiceEn(), Duration.ofHours(2), config.holdMusicUrl().orElse(null),
                config.operatorPhones()),
                flow, new Telephony.Needs(stores.cards(), stores.bookings(), residents.changes(), seats.allocator(), seats.sites(),
                residents.verification(), texts.sending() ? texts.outbox() : null, clock, residents.waitlist(), hours,
                new CallCenter(config.callCenterHours(), stores.calendar(), clock), stores.probe()::ping),
                new PgCallbackStore(stores.pool()), new PgCallStates(stores.pool()), new IvrMetrics(registry));
        LOG.info("phone flow read from {}; phone line {}", flow.source(),
                line.enabled() ? "configured" : "not configured (webhooks answer 503)");
        // the optional reminder call: only with a provider and a public address Twilio can fetch it from
        ReminderCalls reminderCalls = new ReminderCalls(new PgReminderCalls(stores.pool()), outboundCalls(), config.reminderCalls(),
                clock, registry);
        Reminders reminders = new Reminders(new PgReminders(stores.pool()), texts.outbox(), clock, config.reminderTime(), reminderCalls);
        ReminderCall reminderCall = new ReminderCall(reminderCalls, residents.changes(), flow, config.ivrVoiceJa(), config.ivrVoiceEn(),
                publicBase);
        SmsReplies replies = new SmsReplies(stores.cards(), stores.bookings(), residents.changes(), reminders, residents.waitlist(),
                config.callCenterNumber());
        return new Phone(line, reminderCalls, reminders, reminderCall, replies);
    }

    private Console console(Stores stores, Limits limits) {
        StaffSessions sessions = new StaffSessions(new PgSessionStore(stores.pool()), clock, config.sessionIdle(), config.sessionAbsolute());
        return new Console(sessions, limits.signIns(), new Users(new PgUserStore(stores.pool())), new PgAudit(stores.pool()));
    }

    /** Staff changes: each written with its audit row in one transaction. */
    private Staff staff(Stores stores, Seats seats, Residents residents, Console console) {
        Pool pool = stores.pool();
        CardLifecycle lifecycle = new CardLifecycle(new PgLifecycle(pool), seats.allocator(), clock);
        Reports reports = new Reports(new PgReports(pool), stores.calendar(), seats.sites(), clock);
        StaffActions actions = new StaffActions(seats.desk(), seats.allocator(), stores.cards(), stores.bookings(),
                new PgSlotBlocks(pool, stores.changes()), lifecycle, residents.waitlist(), console.audit());
        CapacityTuning capacity = new CapacityTuning(new PgCapacityStore(pool, stores.changes()), stores.calendar(), seats.sites(), seats.allocator(), clock);
        AdminActions admin = new AdminActions(console.users(), stores.sites(), seats.sites(), seats.allocator(), reports, capacity);
        return new Staff(actions, admin, capacity, lifecycle, reports, new PgAuditLog(pool), new PgCardImport(pool));
    }

    /** Twilio SMS when the account and the sending number are configured, else sends that always fail. */
    private TextMessages textMessages() {
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
    private OutboundCalls outboundCalls() {
        if (config.reminderCalls() == ReminderCalls.Mode.OFF) {
            return null;
        }
        if (config.twilio().isEmpty() || config.twilio().get().fromNumber() == null || config.publicBaseUrl().isEmpty()) {
            LOG.warn("reminder calls are not placed: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER and PUBLIC_BASE_URL");
            return null;
        }
        Config.TwilioAccount t = config.twilio().get();
        return new TwilioCalls(vertx, t.accountSid(), t.authToken(), t.fromNumber(), config.twilioApiBaseUrl(), config.publicBaseUrl().get());
    }
}
