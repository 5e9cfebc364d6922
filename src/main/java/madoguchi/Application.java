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
import madoguchi.app.Allocator;
import madoguchi.app.AllocatorMetrics;
import madoguchi.app.AllocatorSettings;
import madoguchi.app.AttemptLimiter;
import madoguchi.app.BookingDesk;
import madoguchi.app.CapacityTuning;
import madoguchi.app.ResidentTokens;
import madoguchi.app.SlotCalendar;
import madoguchi.app.Sites;
import madoguchi.app.NoTextMessages;
import madoguchi.app.Users;
import madoguchi.http.HttpVerticle;
import madoguchi.http.Services;
import madoguchi.store.Database;
import madoguchi.store.DemoData;
import madoguchi.store.PgAudit;
import madoguchi.store.PgBookingStore;
import madoguchi.store.PgCalendarStore;
import madoguchi.store.PgCapacityStore;
import madoguchi.store.PgCardImport;
import madoguchi.store.PgCardStore;
import madoguchi.store.PgFailures;
import madoguchi.store.PgSeatJournal;
import madoguchi.store.PgSeatSource;
import madoguchi.store.PgSiteStore;
import madoguchi.store.PgSlotBlocks;
import madoguchi.store.PgUserStore;
import madoguchi.store.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private final Database database;
    private final Vertx vertx;
    private final Services services;

    private Application(Database database, Vertx vertx, Services services) {
        this.database = database;
        this.vertx = vertx;
        this.services = services;
    }

    public Services services() {
        return services;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Database database() {
        return database;
    }

    /** Starts everything and returns when the HTTP port answers; throws when anything fails. */
    public static Application start(Config config, Clock clock) throws Exception {
        Database database = Database.open(config);
        try {
            return start(config, clock, database);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    private static Application start(Config config, Clock clock, Database database) throws Exception {
        database.migrate();
        byte[] tokenKey;
        try (Connection c = database.jdbc()) {
            if (config.demo()) {
                DemoData.loadIfEmpty(database);
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
                    AllocatorSettings.defaults(config.allocatorQueueLimit()), new AllocatorMetrics(registry))
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

            Services services = new Services(config, clock, new PgFailures(pool), registry, allocator,
                    new BookingDesk(allocator, sites, clock), sites, siteStore, calendar,
                    new ResidentTokens(tokenKey, clock, Duration.ofMinutes(30)), new Users(new PgUserStore(pool)),
                    new PgCardStore(pool), new PgBookingStore(pool),
                    new CapacityTuning(new PgCapacityStore(pool), calendarStore, sites, allocator),
                    new PgCardImport(pool), new PgAudit(pool), new PgSlotBlocks(pool),
                    new AttemptLimiter(config.verifyPerAddressPerMinute(), Duration.ofMinutes(1), clock),
                    new AttemptLimiter(config.verifyFailuresPerNoticePerHour(), Duration.ofHours(1), clock),
                    new NoTextMessages(),
                    new AttemptLimiter(config.bookingChangesPerCardPerDay(), Duration.ofDays(1), clock));
            int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
            vertx.deployVerticle(() -> new HttpVerticle(services), new DeploymentOptions().setInstances(instances))
                    .await(30, TimeUnit.SECONDS);
            LOG.info("madoguchi is listening on http://localhost:{}/ ({} database, {} allocator shards)", config.port(),
                    config.embedded() ? "embedded" : "external", config.shards());
            return new Application(database, vertx, services);
        } catch (Exception | Error e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            throw e;
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
