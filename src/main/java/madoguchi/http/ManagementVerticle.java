package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The management port: Prometheus metrics at {@code /metrics}, apart from the public port and by
 * default bound to 127.0.0.1 ({@code MANAGEMENT_PORT}, {@code MANAGEMENT_HOST}). The metrics tell
 * lockout counts, utilisation and queue depth, which are for operations, not for the public.
 */
public final class ManagementVerticle extends VerticleBase {
    private final Services services;
    private volatile int port;

    public ManagementVerticle(Services services) {
        this.services = services;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> {
            // the per-site gauges are read from the allocator's memory when scraped: always current, no query
            services.bookingMetrics().refreshSites(services.allocator(), services.sites(), services.clock());
            ctx.next();
        }).handler(PrometheusScrapingHandler.create(services.registry()));
        router.route().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Only /metrics is served here.\n"));
        return vertx.createHttpServer(new HttpServerOptions().setIdleTimeout((int) services.config().idleTimeout().toSeconds()))
                .requestHandler(router)
                .listen(services.config().managementPort(), services.config().managementHost())
                .onSuccess(server -> port = server.actualPort());
    }

    /** The port it listens on (the one chosen when MANAGEMENT_PORT is 0). */
    public int port() {
        return port;
    }
}
