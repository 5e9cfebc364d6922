package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.Passwords;
import madoguchi.app.Principal;
import madoguchi.app.StaffSessions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The staff side of the web: sign-in and sign-out of the console (cookie session, see
 * {@link Guard}), and the pages {@code /console} (operators), {@code /admin} and
 * {@code /admin/audit} (administrators) with their scripts under {@code /staff/}. The pages hold
 * no data: they call the operator and admin API with the session cookie and the CSRF header.
 */
final class ConsoleRoutes {
    private static final List<String> ASSETS = List.of("staff.js", "staff-texts.js", "console.js", "admin.js", "audit.js", "staff.css");
    private static final Map<String, String> PAGES = Map.of("/console", "console.html", "/admin", "admin.html",
            "/admin/audit", "audit.html");
    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final Services s;
    private final Guard guard;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();

    ConsoleRoutes(Services services, Guard guard) {
        this.s = services;
        this.guard = guard;
        for (String name : ASSETS) {
            assets.put(name, read(name));
        }
        PAGES.values().forEach(p -> assets.put(p, read(p)));
    }

    void mount(Router router) {
        router.post("/api/v1/staff/login").handler(this::login);
        router.post("/api/v1/staff/logout").handler(ctx -> guard.require(ctx, Principal.Role.OPERATOR)).handler(this::logout);
        router.get("/api/v1/staff/me").handler(ctx -> guard.require(ctx, Principal.Role.OPERATOR)).handler(this::me);
        PAGES.forEach((path, file) -> router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(ctx -> page(ctx, file)));
        router.route("/staff/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::asset);
    }

    private void login(RoutingContext ctx) {
        JsonObject body = Inputs.body(ctx);
        String name = Inputs.text(body, "name", 64);
        String password = Inputs.secret(body, "password");
        if (password == null) {
            throw Problem.badRequest("'password' is required.");
        }
        String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        // a user name is locked after 10 failures in 15 minutes; an address (a call center may share
        // one) counts its failures against the per-address limit of resident verification
        Instant until = s.staffLoginFailures().lockedUntil("name:" + name);
        if (until == null) {
            until = s.verifyPerAddress().lockedUntil(address);
        }
        if (until != null) {
            long seconds = Math.max(1, until.getEpochSecond() - s.clock().instant().getEpochSecond());
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            Answers.error(ctx, 429, "too_many_attempts", "Too many failed sign-ins; try again in " + seconds + " s.");
            return;
        }
        s.users().login(name)
                .compose(found -> ctx.vertx().executeBlocking(() ->
                        // the hash is checked even for an unknown name, so that both take as long
                        Passwords.matches(password, found.map(l -> l.passwordHash()).orElse(null)) ? found.map(l -> l.principal())
                                : Optional.<Principal>empty(), false))
                .compose(who -> {
                    if (who.isEmpty()) {
                        s.staffLoginFailures().tryAcquire("name:" + name);
                        s.verifyPerAddress().tryAcquire(address);
                        return Future.succeededFuture((StaffSessions.Started) null);
                    }
                    return s.staffSessions().start(who.get())
                            .compose(started -> s.audit().record(who.get(), "staff.login", "user:" + who.get().name(), null, null, null)
                                    .map(started));
                })
                .onFailure(ctx::fail)
                .onSuccess(started -> {
                    if (started == null) {
                        Answers.error(ctx, 401, "login_failed", "The name or the password is not right.");
                        return;
                    }
                    long maxAge = started.maxAge().toSeconds();
                    ctx.response().addCookie(cookie(Guard.SESSION_COOKIE, started.sessionId(), true, maxAge));
                    ctx.response().addCookie(cookie(Guard.CSRF_COOKIE, started.csrfToken(), false, maxAge));
                    Answers.json(ctx, 200, new JsonObject().put("name", started.principal().name())
                            .put("role", started.principal().role().wire()).put("csrfToken", started.csrfToken()));
                });
    }

    private void logout(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String session = Guard.cookie(ctx, Guard.SESSION_COOKIE);
        // only a session that existed is recorded as ended (an API token has none to end)
        s.staffSessions().end(session)
                .compose(v -> session == null ? Future.succeededFuture()
                        : s.audit().record(who, "staff.logout", "user:" + who.name(), null, null, null))
                .onFailure(ctx::fail)
                .onSuccess(v -> {
                    ctx.response().addCookie(cookie(Guard.SESSION_COOKIE, "", true, 0));
                    ctx.response().addCookie(cookie(Guard.CSRF_COOKIE, "", false, 0));
                    Answers.json(ctx, 200, new JsonObject().put("signedOut", true));
                });
    }

    private void me(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        Answers.json(ctx, 200, new JsonObject().put("name", who.name()).put("role", who.role().wire()));
    }

    private Cookie cookie(String name, String value, boolean httpOnly, long maxAge) {
        return Cookie.cookie(name, value).setPath("/").setHttpOnly(httpOnly).setSameSite(CookieSameSite.STRICT)
                .setSecure(s.config().secureCookies()).setMaxAge(maxAge);
    }

    private void page(RoutingContext ctx, String file) {
        String lang = WebPages.language(ctx.request().getParam("lang"), Guard.cookie(ctx, "lang"),
                ctx.request().getHeader("Accept-Language"));
        String html = new String(assets.get(file), StandardCharsets.UTF_8).replace("<html lang=\"ja\">", "<html lang=\"" + lang + "\">");
        ctx.response().putHeader("Cache-Control", "no-store").putHeader("Content-Language", lang);
        send(ctx, html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    private void asset(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (!ASSETS.contains(name)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Cache-Control", "no-cache");
        send(ctx, assets.get(name), name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
    }

    private static void send(RoutingContext ctx, byte[] bytes, String type) {
        ctx.response().putHeader("Content-Security-Policy", SECURITY_POLICY).putHeader("Content-Type", type);
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().putHeader("Content-Length", Integer.toString(bytes.length)).end();
        } else {
            ctx.response().end(Buffer.buffer(bytes));
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/" + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read web/" + name, e);
        }
    }
}
