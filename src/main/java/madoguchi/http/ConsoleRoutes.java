package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.staff.Audit;
import madoguchi.app.staff.Passwords;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.StaffActions;
import madoguchi.app.staff.SignInLimits;
import madoguchi.app.staff.StaffSessions;
import madoguchi.app.staff.Users;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
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
public final class ConsoleRoutes {
    private static final List<String> ASSETS = List.of("staff.js", "staff-texts.js", "console.js", "counter.js", "admin.js", "audit.js", "users.js", "failed.js",
            "admin-access.js", "screen-pop.js", "staff.css");

    /** A staff page: its own part ({@code name.html}) and script inside the frame every staff page shares. */
    private record StaffPage(String path, String name, String titleKey, String role, String script) {
        StaffPage(String path, String name, String titleKey, String role) {
            this(path, name, titleKey, role, name + ".js");
        }
    }

    private static final List<StaffPage> PAGES = List.of(
            new StaffPage("/console", "console", "console.title", "operator"),
            new StaffPage("/console/counter", "counter", "counter.title", "operator"),
            new StaffPage("/admin", "admin", "admin.title", "admin"),
            new StaffPage("/admin/audit", "audit", "audit.title", "admin"),
            new StaffPage("/admin/users", "users", "users.title", "admin"),
            // text messages and reminder calls given up on: one script for both lists
            new StaffPage("/console/failed-sms", "failed-sms", "failed.sms.title", "operator", "failed.js"),
            new StaffPage("/console/failed-calls", "failed-calls", "failed.calls.title", "operator", "failed.js"));

    private final Needs s;
    private final Guard guard;
    private final Map<String, WebAsset> assets = new LinkedHashMap<>();
    private final Map<String, Map<String, WebAsset>> pages = new LinkedHashMap<>();

    /**
     * What the console's sign-in works with: the sessions, the sign-in limits, the staff's logins,
     * the audit trail, and the public address (same-origin check) and whether cookies are secure.
     */
    public record Needs(StaffSessions staffSessions, SignInLimits signIns, Users users, Audit audit, Clock clock,
                        Optional<URI> publicBaseUrl, boolean secureCookies) {
    }

    ConsoleRoutes(Needs needs, Guard guard) {
        this.s = needs;
        this.guard = guard;
        for (String name : ASSETS) {
            assets.put(name, WebAsset.file(name));
        }
        String frame = WebAsset.text("staff-frame.html");
        for (StaffPage p : PAGES) {
            // the page's file starts with a comment for its readers, not for browsers
            String content = WebAsset.text(p.name() + ".html").replaceFirst("\\A<!--.*?-->\\n", "").stripTrailing();
            String html = frame.replace("{{title}}", p.titleKey()).replace("{{role}}", p.role())
                    .replace("{{script}}", p.script()).replace("{{content}}", content);
            pages.put(p.path(), WebPages.localized(html));
        }
    }

    void mount(Router router) {
        router.post("/api/v1/staff/login").handler(this::login);
        router.post("/api/v1/staff/logout").handler(ctx -> guard.require(ctx, Principal.Role.OPERATOR)).handler(this::logout);
        router.get("/api/v1/staff/me").handler(ctx -> guard.require(ctx, Principal.Role.OPERATOR)).handler(this::me);
        pages.forEach((path, localized) -> router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(ctx -> page(ctx, localized)));
        router.route("/staff/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::asset);
    }

    private void login(RoutingContext ctx) {
        // a form on another site must not sign a browser in (to an account of the attacker's)
        if (!SameOrigin.allows(ctx, s.publicBaseUrl())) {
            SameOrigin.refuse(ctx);
            return;
        }
        if (!isJson(ctx.request().getHeader("Content-Type"))) {
            Answers.error(ctx, 415, "unsupported_media_type", "Send the sign-in as JSON (Content-Type: application/json).");
            return;
        }
        JsonObject body = Inputs.body(ctx);
        String name = Inputs.text(body, "name", 64);
        String password = Inputs.secret(body, "password");
        if (password == null) {
            throw Problem.badRequest("'password' is required.");
        }
        String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        s.signIns().begin(name, address).onFailure(ctx::fail).onSuccess(attempt -> signIn(ctx, name, password, attempt));
    }

    /** A sign-in the limits admitted (its password is checked) or refused. */
    private void signIn(RoutingContext ctx, String name, String password, SignInLimits.Attempt attempt) {
        if (attempt.refusedUntil() != null) {
            long seconds = Math.max(1, Duration.between(s.clock().instant(), attempt.refusedUntil()).plusMillis(999).toMillis() / 1000);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            Answers.error(ctx, 429, "too_many_attempts", attempt.busy()
                    ? "Many sign-ins are being checked at this moment; please try again in a second."
                    : "Too many failed sign-ins; try again in " + seconds + " s.");
            return;
        }
        // from here on the attempt must end whatever happens (it holds one of the hashing places)
        Future.succeededFuture().compose(v -> s.users().login(name))
                .compose(found -> ctx.vertx().executeBlocking(() ->
                        // the hash is checked even for an unknown name, so that both take as long
                        Passwords.matches(password, found.map(l -> l.passwordHash()).orElse(null)) ? found.map(l -> l.principal())
                                : Optional.<Principal>empty(), false))
                .onComplete(checked -> {
                    if (checked.failed()) {
                        attempt.abandoned();
                    } else if (checked.result().isEmpty()) {
                        attempt.failed();
                    } else {
                        attempt.succeeded();
                    }
                })
                .compose(who -> {
                    if (who.isEmpty()) {
                        return Future.succeededFuture((StaffSessions.Started) null);
                    }
                    return s.staffSessions().start(who.get())
                            .compose(started -> s.audit().record(StaffActions.entry(who.get(), "staff.login", "user:" + who.get().name(), null, null, null))
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

    /** {@code application/json}, with or without parameters (charset). */
    private static boolean isJson(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT).equals("application/json");
    }

    private void logout(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String session = Guard.cookie(ctx, Guard.SESSION_COOKIE);
        // only a session that existed is recorded as ended (an API token has none to end)
        s.staffSessions().end(session)
                .compose(v -> session == null ? Future.succeededFuture()
                        : s.audit().record(StaffActions.entry(who, "staff.logout", "user:" + who.name(), null, null, null)))
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
                .setSecure(s.secureCookies()).setMaxAge(maxAge);
    }

    private void page(RoutingContext ctx, Map<String, WebAsset> localized) {
        String lang = WebPages.language(ctx.request().getParam("lang"), Guard.cookie(ctx, "lang"),
                ctx.request().getHeader("Accept-Language"));
        ctx.response().putHeader("Cache-Control", "no-store").putHeader("Content-Language", lang);
        localized.get(lang).send(ctx);
    }

    private void asset(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (!ASSETS.contains(name)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Cache-Control", "no-cache");
        assets.get(name).send(ctx);
    }
}
