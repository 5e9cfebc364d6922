package madoguchi;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import madoguchi.http.AdminApi;
import madoguchi.http.CardUpload;
import madoguchi.http.BoardRoutes;
import madoguchi.http.ConsoleRoutes;
import madoguchi.http.CounterApi;
import madoguchi.http.HttpParts;
import madoguchi.http.HttpVerticle;
import madoguchi.http.ImportPermits;
import madoguchi.http.ManagementVerticle;
import madoguchi.http.OperatorApi;
import madoguchi.http.ReportsApi;
import madoguchi.http.ResidentApi;
import madoguchi.http.WaitlistApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of the wiring: the public server (one {@link HttpVerticle} per processor, each API
 * given only its own part) and the management port with /metrics.
 */
final class HttpWiring {
    // start-up lines keep the logger they were written with before the wiring was split
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private final Config config;
    private final Clock clock;
    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final madoguchi.app.Draining draining;
    private final madoguchi.http.HttpServers listening;

    HttpWiring(Config config, Clock clock, Vertx vertx, PrometheusMeterRegistry registry, madoguchi.app.Draining draining,
               madoguchi.http.HttpServers listening) {
        this.draining = draining;
        this.listening = listening;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        this.registry = registry;
    }

    /** Deploys both servers and returns when they listen; answers the management port (the one chosen when it is 0). */
    int start(Wiring.Stores stores, Wiring.Seats seats, Wiring.UseCases uses) throws Exception {
        HttpParts parts = parts(stores, seats, uses);
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        ImportPermits imports = new ImportPermits();
        vertx.deployVerticle(() -> new HttpVerticle(parts, imports), new DeploymentOptions().setInstances(instances))
                .await(30, TimeUnit.SECONDS);
        ManagementVerticle management = new ManagementVerticle(new ManagementVerticle.Needs(config.managementHost(),
                config.managementPort(), config.idleTimeout(), registry, seats.metrics(), seats.allocator(), seats.sites(), clock));
        vertx.deployVerticle(management).await(30, TimeUnit.SECONDS);
        LOG.info("madoguchi is listening on http://localhost:{}/ ({} database, {} allocator shards); metrics on http://{}:{}/metrics",
                config.port(), config.embedded() ? "embedded" : "external", config.shards(), config.managementHost(), management.port());
        return management.port();
    }

    private HttpParts parts(Wiring.Stores stores, Wiring.Seats seats, Wiring.UseCases uses) {
        var residents = uses.residents();
        var staff = uses.staff();
        var console = uses.console();
        var phone = uses.phone();
        // what residents keep their booking with: SMS notices of web bookings, access notes
        var notices = new madoguchi.app.sms.BookingNotices(stores.cards(), new madoguchi.store.PgNoticeChoices(stores.pool()),
                seats.sites(), uses.texts().outbox(), clock, config.callCenterNumber());
        var access = new madoguchi.app.staff.SiteAccessNotes(new madoguchi.store.PgSiteAccessStore(stores.pool()), clock);
        return new HttpParts(
                new HttpParts.Server(config.port(), config.headerTimeout(), config.idleTimeout(), config.strictTransport(),
                        clock, config.callCenterNumber(), stores.probe(), draining, listening),
                new HttpParts.Callers(residents.tokens(), console.users(), console.sessions(), config.publicBaseUrl()),
                // one for every event loop: duplicates arriving on different connections meet here
                new madoguchi.http.IdempotentPosts(new madoguchi.app.booking.IdempotentRequests(stores.bookings())),
                new ResidentApi.Needs(seats.sites(), seats.allocator(), residents.changes(), residents.verification(),
                        residents.tokens(), stores.cards(), stores.bookings(), clock, config.callCenterNumber(), uses.counter().desk(),
                        uses.counter().hours(), notices, access),
                new OperatorApi.Needs(staff.actions(), seats.sites(), seats.allocator(), stores.cards(), stores.bookings(),
                        new madoguchi.app.staff.CardLocks(residents.verification(), residents.changes()), clock),
                new WaitlistApi.Needs(residents.waitlist(), staff.actions(), seats.sites(), seats.allocator(), stores.cards()),
                new AdminApi.Needs(staff.admin(), seats.sites(), staff.auditLog(), uses.texts().outbox()),
                new ReportsApi.Needs(staff.reports(), seats.sites(), staff.actions(), staff.admin()),
                new CardUpload.Needs(staff.cardImport(), seats.sites(), staff.lifecycle(), seats.desk(), registry,
                        new madoguchi.app.cards.ImportProgress(clock)),
                new ConsoleRoutes.Needs(console.sessions(), console.signIns(), console.users(), console.audit(), clock,
                        config.publicBaseUrl(), config.secureCookies()),
                new HttpParts.Phone(phone.line(), clock, phone.replies(), phone.reminders(), phone.reminderCall(), phone.reminderCalls()),
                new CounterApi.Needs(uses.counter().desk(), uses.counter().walkIn(), seats.sites(), clock),
                new BoardRoutes.Needs(uses.counter().walkIn(), uses.counter().boards(), seats.sites()),
                new madoguchi.http.KeepApi.Needs(stores.bookings(), seats.sites(), notices, access, clock, config.callCenterNumber(),
                        config.callCenterHours(), config.publicBaseUrl().map(java.net.URI::getHost).orElse("madoguchi.invalid")));
    }
}
