package madoguchi;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.BookingCodeKey;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.capacity.CapacityTuning;
import madoguchi.app.cards.CardLifecycle;
import madoguchi.app.cards.CardStore;
import madoguchi.app.reminders.ReminderCalls;
import madoguchi.app.reminders.Reminders;
import madoguchi.app.sms.SmsOutbox;
import madoguchi.app.staff.Passwords;
import madoguchi.app.staff.Principal;
import madoguchi.app.waitlist.Waitlist;
import madoguchi.domain.BookingCode;
import madoguchi.store.Database;
import madoguchi.store.DemoData;
import madoguchi.store.PgUserStore;
import madoguchi.store.Settings;
import madoguchi.telephony.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The running service, wired by hand: the database (embedded or external) with its migrations,
 * keys and demo data, Vert.x with Prometheus metrics, then {@link Wiring}'s parts (stores,
 * allocator, use cases), the periodic {@link Jobs}, and the HTTP servers ({@link HttpWiring}).
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
    private final madoguchi.app.Draining draining;
    private final madoguchi.http.HttpServers listening;
    private final Config config;

    /**
     * The parts of the running service that tests drive by hand: a job run now instead of waiting
     * for its timer, a slot's seats read from the allocator's memory, a meter read.
     */
    public record Parts(Allocator allocator, BookingDesk desk, CapacityTuning capacity, CardStore cards, CardLifecycle lifecycle,
                        PrometheusMeterRegistry registry, Reminders reminders, ReminderCalls reminderCalls, SmsOutbox sms,
                        Waitlist waitlist, java.util.function.Supplier<io.vertx.core.Future<Void>> syncLimits) {
        static Parts of(Wiring.Stores stores, Wiring.Seats seats, Wiring.UseCases uses, PrometheusMeterRegistry registry) {
            // the shared limits' sync (Jobs runs it every PgAttempts.SYNC); nothing to sync when they are local
            java.util.function.Supplier<io.vertx.core.Future<Void>> syncLimits = uses.limits().shared() == null
                    ? io.vertx.core.Future::succeededFuture : uses.limits().shared()::sync;
            return new Parts(seats.allocator(), seats.desk(), uses.staff().capacity(), stores.cards(), uses.staff().lifecycle(), registry,
                    uses.phone().reminders(), uses.phone().reminderCalls(), uses.texts().outbox(), uses.residents().waitlist(), syncLimits);
        }
    }

    private Application(Database database, Vertx vertx, Parts parts, int managementPort, madoguchi.app.Draining draining,
                        madoguchi.http.HttpServers listening, Config config) {
        this.draining = draining;
        this.listening = listening;
        this.config = config;
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
        Keys keys = keys(config, database);
        PrometheusMeterRegistry registry = registry();
        Vertx vertx = vertx(registry);
        try {
            Wiring wiring = new Wiring(config, clock, vertx, registry);
            Wiring.Stores stores = wiring.database(database);
            Wiring.Seats seats = wiring.allocator(stores, keys.codes());
            Wiring.UseCases uses = wiring.useCases(stores, seats, flow, keys.tokenKey());
            Jobs.start(vertx, registry, stores, seats, uses);
            madoguchi.app.Draining draining = new madoguchi.app.Draining();
            madoguchi.http.HttpServers listening = new madoguchi.http.HttpServers();
            int managementPort = new HttpWiring(config, clock, vertx, registry, draining, listening).start(stores, seats, uses);
            return new Application(database, vertx, Parts.of(stores, seats, uses, registry), managementPort, draining, listening, config);
        } catch (Exception | Error e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The installation's keys, read (or made) before anything could write a booking or sign a token. */
    private record Keys(BookingCode codes, byte[] tokenKey) {
    }

    /** Reads the keys; with demo data on, loads it; makes the bootstrap administrator when there is none. */
    private static Keys keys(Config config, Database database) throws Exception {
        try (Connection c = database.jdbc()) {
            // decided before anything could write a booking: a new installation keys its codes
            BookingCode codes = Settings.bookingCodeKey(c).map(BookingCodeKey::codes).orElseGet(BookingCode::legacy);
            if (config.demo()) {
                DemoData.loadIfEmpty(database);
                // demo only: console sign-ins whose passwords the README gives
                PgUserStore.ensureDemoStaff(c, "demo-operator", Principal.Role.OPERATOR, () -> Passwords.hash(DEMO_OPERATOR_PASSWORD));
                PgUserStore.ensureDemoStaff(c, "demo-admin", Principal.Role.ADMIN, () -> Passwords.hash(DEMO_ADMIN_PASSWORD));
            }
            bootstrapAdministrator(c, config);
            return new Keys(codes, Settings.residentTokenKey(c));
        }
    }

    private static void bootstrapAdministrator(Connection c, Config config) throws Exception {
        String fresh = PgUserStore.bootstrap(c, config.bootstrapAdminToken());
        if (fresh != null) {
            // shown once: it is stored only as a digest
            System.out.println("madoguchi: no administrator token existed, so one was made for the user 'bootstrap':");
            System.out.println("madoguchi:   " + fresh);
            System.out.println("madoguchi: keep it safe; it is not shown again (set MADOGUCHI_BOOTSTRAP_ADMIN_TOKEN to choose your own).");
        }
    }

    /** Prometheus, with the JVM's and the process's meters. */
    private static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // buckets for the HTTP answer time, so a dashboard can aggregate p99 over every instance
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals("vertx.http.server.response.time")) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true).minimumExpectedValue(1e6).maximumExpectedValue(30e9).build().merge(config);
                }
                return config;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** Vert.x reporting its own meters (HTTP answers by route, pools) to {@code registry}. */
    private static Vertx vertx(PrometheusMeterRegistry registry) {
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
                        .setEnabled(true)
                        .setRegistryName("madoguchi-" + UUID.randomUUID())
                        .addLabels(Label.HTTP_ROUTE)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /**
     * Leaves without dropping anyone (SIGTERM in a rolling deploy): /ready answers 503 at once while
     * requests are still served for the grace period (MADOGUCHI_DRAIN_SECONDS) the balancer needs to
     * notice; then the servers stop taking connections and the requests under way are answered;
     * then the allocator's queued batches and the texts being sent end (at most
     * MADOGUCHI_DRAIN_TIMEOUT_SECONDS for both), and the shared limits' last counts are written.
     * {@link #close()} follows.
     */
    public void drain() {
        draining.start();
        long started = System.nanoTime();
        LOG.info("draining: /ready answers 503; still serving for {} s", config.drainGrace().toSeconds());
        try {
            Thread.sleep(config.drainGrace().toMillis());
            java.time.Duration timeout = config.drainTimeout();
            long deadline = System.nanoTime() + timeout.toNanos();
            listening.shutdown(timeout).await(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            while ((parts.allocator().queued() > 0 || parts.sms().inFlight() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // the change limit's counts since its last batch: written now, so the other instances count them
            parts.syncLimits().get().await(2, TimeUnit.SECONDS);
            LOG.info("drained in {} ms ({} requests queued in the allocator, {} texts being sent)",
                    (System.nanoTime() - started) / 1_000_000, parts.allocator().queued(), parts.sms().inFlight());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("draining did not finish cleanly: {}", e.toString());
        }
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
