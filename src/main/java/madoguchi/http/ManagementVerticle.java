package madoguchi.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.BookingMetrics;
import madoguchi.app.sites.Sites;

import java.time.Clock;
import java.time.Duration;

/**
 * The management port: Prometheus metrics at {@code /metrics}, apart from the public port and by
 * default bound to 127.0.0.1 ({@code MANAGEMENT_PORT}, {@code MANAGEMENT_HOST}). The metrics tell
 * lockout counts, utilisation and queue depth, which are for operations, not for the public.
 */
public final class ManagementVerticle extends VerticleBase {
    private final Needs needs;
    private volatile int port;

    /**
     * Where it listens ({@code port} 0: any free one), and what the scrape reads: the registry, and
     * the per-site gauges refreshed from the allocator's memory.
     */
    public record Needs(String host, int port, Duration idleTimeout, PrometheusMeterRegistry registry,
                        BookingMetrics bookingMetrics, Allocator allocator, Sites sites, Clock clock) {
    }

    public ManagementVerticle(Needs needs) {
        this.needs = needs;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> {
            // the per-site gauges are read from the allocator's memory when scraped: always current, no query
            needs.bookingMetrics().refreshSites(needs.allocator(), needs.sites(), needs.clock());
            ctx.next();
        }).handler(PrometheusScrapingHandler.create(needs.registry()));
        router.route().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Only /metrics is served here.\n"));
        return vertx.createHttpServer(new HttpServerOptions().setIdleTimeout((int) needs.idleTimeout().toSeconds()))
                .requestHandler(router)
                .listen(needs.port(), needs.host())
                .onSuccess(server -> port = server.actualPort());
    }

    /** The port it listens on (the one chosen when MANAGEMENT_PORT is 0). */
    public int port() {
        return port;
    }
}
