package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import madoguchi.app.staff.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** The HTTP server: one instance per event loop, all built from the same parts and sharing the port. */
public final class HttpVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
    static final int BODY_LIMIT = 64 * 1024;
    static final int IMPORT_LIMIT = 32 * 1024 * 1024;

    private final HttpParts parts;
    private final HttpParts.Server server;
    private final ImportPermits imports;
    private HeadTimeout heads;

    /** {@code imports} is shared by every instance: the bound on card imports is for the whole service. */
    public HttpVerticle(HttpParts parts, ImportPermits imports) {
        this.parts = parts;
        this.server = parts.server();
        this.imports = imports;
    }

    @Override
    public Future<?> start() {
        heads = new HeadTimeout(vertx, server.headerTimeout());
        Router router = router();
        return vertx.createHttpServer(new HttpServerOptions().setMaxFormAttributeSize(BODY_LIMIT)
                        // no WebSockets and no HTTP/2 upgrade are served: without them Netty's pipeline
                        // skips two handlers on every request (seen in the booking load profile)
                        .setPerMessageWebSocketCompressionSupported(false)
                        .setPerFrameWebSocketCompressionSupported(false)
                        .setHttp2ClearTextEnabled(false)
                        // a connection that sends and receives nothing for this long is closed: a stalled
                        // upload (admin routes have no answer deadline) or a forgotten keep-alive
                        .setIdleTimeout((int) server.idleTimeout().toSeconds())
                        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
                .connectionHandler(heads::connected)
                .requestHandler(router)
                .invalidRequestHandler(request -> {
                    if (server.strictTransport()) {
                        request.response().headers().set("Strict-Transport-Security", SecurityHeaders.HSTS);
                    }
                    BodyTypes.invalid(request);
                })
                .listen(server.port())
                .onSuccess(server.listening()::add);
    }

    Router router() {
        Router router = Router.router(vertx);
        HttpParts.Callers callers = parts.callers();
        Guard guard = new Guard(callers.tokens(), callers.users(), callers.staffSessions(), callers.publicBaseUrl());
        WebPages pages = WebPages.load();

        router.route().handler(heads::headArrived);
        router.route().handler(this::closeWhileDraining);
        java.time.Clock clock = server.clock();
        String callCenter = server.callCenter();
        router.route().handler(ctx -> {
            // what Answers needs to write "until when" and "call us" (one map entry each per request)
            ctx.put(Answers.CLOCK, clock);
            ctx.put(Answers.CALL_CENTER, callCenter);
            ctx.next();
        });
        router.route().handler(RequestLog::handle);
        router.route().handler(SecurityHeaders.of(server.strictTransport()));
        router.route().handler(Deadline::handle);
        router.route().handler(new ControlCharacters(router));
        router.get("/health").handler(ctx -> Answers.json(ctx, 200, new JsonObject().put("status", "ok")));
        router.get("/ready").handler(this::ready);
        // /metrics is served on the management port only (ManagementVerticle): lockouts, utilisation and
        // queue depth are not for the public
        router.get("/openapi.yaml").handler(this::openapi);
        pages.mount(router);
        // sites opened on another instance a moment ago are read before a route says "no such site"
        Handler<RoutingContext> siteMisses = SiteMisses.inPath(parts.residents().sites());
        router.route("/board/:siteId").method(io.vertx.core.http.HttpMethod.GET).method(io.vertx.core.http.HttpMethod.HEAD)
                .handler(siteMisses);
        // (before routes that read no body; after the body handler for the others: the read is asynchronous)
        router.get("/api/v1/sites/:siteId/board").handler(siteMisses);
        router.get("/api/v1/sites/:siteId/board/events").handler(siteMisses);
        new BoardRoutes(parts.board()).mount(router);

        router.route("/api/*").handler(BodyTypes::handle);
        // staff are known from the headers before any byte of a body is read (HeadersFirst)
        router.route("/api/v1/admin/*").handler(HeadersFirst.of(ctx -> guard.require(ctx, Principal.Role.ADMIN)));
        router.route("/api/v1/operator/*").handler(HeadersFirst.of(ctx -> guard.require(ctx, Principal.Role.OPERATOR)));
        router.route("/api/*").handler(HeadersFirst::resumeBodiless);
        // the status file is read as it arrives, never held whole (CardUpload), so no body handler for it
        router.post("/api/v1/admin/cards/import").handler(new CardUpload(parts.cardImport(), imports)::handle);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.get("/api/v1/sites/:siteId/*").handler(siteMisses);
        router.route("/api/v1/admin/sites/:siteId/*").handler(siteMisses);
        router.route("/api/v1/operator/sites/:siteId/*").handler(siteMisses);
        router.post("/api/v1/admin/closures").handler(SiteMisses.inBody(parts.residents().sites()));
        router.delete("/api/v1/admin/closures").handler(SiteMisses.inQuery(parts.residents().sites()));
        router.post("/api/v1/admin/inventory").handler(SiteMisses.inBody(parts.residents().sites()));
        mountApis(router, guard);
        router.route("/api/*").handler(ctx -> Answers.error(ctx, 404, "not_found", "No such endpoint."));
        router.route().failureHandler(this::failed);
        router.errorHandler(405, ctx -> Answers.error(ctx, 405, "method_not_allowed", "This endpoint does not take that method."));
        router.errorHandler(404, ctx -> {
            if (!pages.notFound(ctx)) {
                Answers.error(ctx, 404, "not_found", "No such page.");
            }
        });
        return router;
    }

    /** Every API and route group, in this order, each given only its own part. */
    private void mountApis(Router router, Guard guard) {
        IdempotentPosts posts = parts.posts();
        new ResidentApi(parts.residents(), guard, posts).mount(router);
        new KeepApi(parts.keep(), guard).mount(router);
        new OperatorApi(parts.operators(), guard, posts).mount(router);
        new CounterApi(parts.counter()).mount(router);
        new WaitlistApi(parts.waitlist(), guard).mount(router);
        new AdminApi(parts.admin(), guard).mount(router);
        new StaffUsersApi(parts.admin().admin()).mount(router);
        new OpeningRulesApi(parts.admin()).mount(router);
        new ReportsApi(parts.reports()).mount(router);
        new ImportProgressRoute(parts.cardImport().progress()).mount(router);
        new ConsoleRoutes(parts.console(), guard).mount(router);
        HttpParts.Phone phone = parts.phone();
        new TelephonyRoutes(phone.line(), phone.clock(), guard).mount(router);
        new SmsRoutes(phone.line(), phone.replies(), phone.reminders(), guard).mount(router);
        new ReminderCallRoutes(phone.line(), phone.reminderCall(), phone.reminderCalls(), guard).mount(router);
    }

    private void openapi(RoutingContext ctx) {
        try (var in = HttpVerticle.class.getResourceAsStream("/openapi.yaml")) {
            ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
        } catch (java.io.IOException e) {
            ctx.fail(e);
        }
    }

    /**
     * While draining, every answer closes its connection: the client's next request opens a new
     * one, which the balancer (told by /ready) sends to another instance. A kept-alive connection
     * would instead be cut when the server stops, under a request the client may just be sending.
     */
    private void closeWhileDraining(RoutingContext ctx) {
        if (server.draining().draining()) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.next();
    }

    private void ready(RoutingContext ctx) {
        if (server.draining().draining()) {
            ctx.response().putHeader("Retry-After", "30");
            Answers.error(ctx, 503, "draining", "This instance is shutting down; the others serve.");
            return;
        }
        server.probe().ping()
                .onSuccess(r -> Answers.json(ctx, 200, new JsonObject().put("status", "ready").put("database", "up")))
                .onFailure(e -> {
                    ctx.response().putHeader("Retry-After", "5");
                    Answers.error(ctx, 503, "database_unreachable", "The database cannot be reached.");
                });
    }

    private void failed(RoutingContext ctx) {
        Throwable e = ctx.failure();
        if (e instanceof Problem) {
            Answers.problem(ctx, (Problem) e);
        } else if (e instanceof madoguchi.app.staff.NotRecorded) {
            LOG.warn("a staff change was not made: it could not be written with its audit row ({} {}): {}",
                    ctx.request().method(), ctx.request().path(), String.valueOf(e.getCause()));
            Answers.notRecorded(ctx);
        } else if (e instanceof madoguchi.app.capacity.DaysNotPlanned) {
            LOG.warn("an opening rule was saved but its days were not all planned again ({} {}): {}",
                    ctx.request().method(), ctx.request().path(), String.valueOf(e.getCause()));
            ctx.response().putHeader("Retry-After", "5");
            Answers.error(ctx, 503, "days_not_planned", "The opening rule was saved, but its days were not all planned again;"
                    + " send the same rule again with PUT to finish (planning is repeatable).");
        } else if (ctx.statusCode() == 413) {
            Answers.error(ctx, 413, "body_too_large", "The request body is too large.");
        } else if (e == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Answers.error(ctx, ctx.statusCode(), "invalid_request", "The request could not be handled.");
        } else if (e instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooLongFormFieldException) {
            Answers.error(ctx, 413, "body_too_large", "A form field is too large.");
        } else if (e instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooManyFormFieldsException) {
            // Netty decodes at most HttpServerOptions' maxFormFields (256); Twilio sends a few dozen
            Answers.error(ctx, 413, "body_too_large", "The form has too many fields.");
        } else if (isUnreadableForm(e)) {
            Answers.error(ctx, 400, "invalid_request", "The form body could not be read (bad percent-encoding).");
        } else if (server.probe().tooSlow(e)) {
            // the database answers; this piece of work took longer than a statement may (10 s) and was undone
            LOG.warn("a statement timed out on {} {}", ctx.request().method(), ctx.request().path());
            ctx.response().putHeader("Retry-After", "30");
            Answers.error(ctx, 503, "too_slow", "This took longer than the database allows and was undone; "
                    + "narrow it (one site, fewer days) or retry when the service is less busy.");
        } else if (server.probe().unreachable(e)) {
            ctx.response().putHeader("Retry-After", "2");
            Answers.error(ctx, 503, "unavailable", "The service cannot reach its database; please retry shortly.");
        } else {
            LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), e);
            Answers.error(ctx, 500, "internal_error", "Something went wrong on our side.");
        }
    }

    /** Netty refuses a malformed form body (e.g. "%%" in a Twilio webhook) with a plain exception. */
    static boolean isUnreadableForm(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.ErrorDataDecoderException) {
                return true;
            }
            if (t instanceof IllegalArgumentException && t.getStackTrace().length > 0) {
                for (StackTraceElement frame : t.getStackTrace()) {
                    if (frame.getClassName().startsWith("io.netty.handler.codec.http.")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
