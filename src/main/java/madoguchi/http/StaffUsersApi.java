package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.staff.AdminActions;
import madoguchi.app.staff.Passwords;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.UserStore;

/**
 * Administrators' staff users page: the list, disabling and enabling a user, and a password
 * reset. Creating a user stays in {@link AdminApi}. Each change is audited with it (see
 * {@code AdminActions}); the admin role is checked in HttpVerticle for all of /api/v1/admin.
 */
final class StaffUsersApi {
    private static final String NAME = "[A-Za-z0-9._-]{1,64}";
    private final AdminActions admin;

    StaffUsersApi(AdminActions admin) {
        this.admin = admin;
    }

    void mount(Router router) {
        router.get("/api/v1/admin/users").handler(this::list);
        router.post("/api/v1/admin/users/:name/disable").handler(ctx -> disable(ctx, true));
        router.post("/api/v1/admin/users/:name/enable").handler(ctx -> disable(ctx, false));
        router.post("/api/v1/admin/users/:name/password-reset").handler(this::reset);
    }

    private void list(RoutingContext ctx) {
        admin.users().onFailure(ctx::fail).onSuccess(list -> {
            JsonArray out = new JsonArray();
            for (UserStore.Listed u : list) {
                out.add(new JsonObject().put("name", u.name()).put("role", u.role().wire()).put("disabled", u.disabled())
                        .put("consoleSignIn", u.consoleSignIn()).put("createdAt", Answers.time(u.createdAt())).put("sessions", u.sessions()));
            }
            Answers.json(ctx, 200, new JsonObject().put("users", out));
        });
    }

    private void disable(RoutingContext ctx, boolean disabled) {
        String name = name(ctx);
        String reason = Inputs.optionalText(optionalBody(ctx), "reason", 500);
        admin.disableUser(Guard.principal(ctx), name, disabled, reason).onFailure(ctx::fail).onSuccess(changed -> {
            if (answeredRefusal(ctx, changed)) {
                return;
            }
            Answers.json(ctx, 200, new JsonObject().put("name", name).put("disabled", disabled).put("sessionsEnded", changed.sessionsEnded()));
        });
    }

    /**
     * A reset makes a new random password, shown in this answer once (the service keeps only its
     * hash); the user's sessions end. The administrator gives it to the user in person.
     */
    private void reset(RoutingContext ctx) {
        String name = name(ctx);
        String reason = Inputs.optionalText(optionalBody(ctx), "reason", 500);
        String password = Passwords.fresh();
        Principal who = Guard.principal(ctx);
        ctx.vertx().executeBlocking(() -> Passwords.hash(password), false)
                .compose(hash -> admin.resetPassword(who, name, hash, reason))
                .onFailure(ctx::fail).onSuccess(changed -> {
                    if (answeredRefusal(ctx, changed)) {
                        return;
                    }
                    ctx.response().putHeader("Cache-Control", "no-store");
                    Answers.json(ctx, 200, new JsonObject().put("name", name).put("password", password)
                            .put("sessionsEnded", changed.sessionsEnded()));
                });
    }

    private static boolean answeredRefusal(RoutingContext ctx, UserStore.Changed changed) {
        switch (changed.change()) {
            case NOT_FOUND -> Answers.error(ctx, 404, "not_found", "No such user.");
            case LAST_ADMIN -> Answers.error(ctx, 409, "last_admin", "This is the last administrator who is not disabled; enable or create another first.");
            case OWN_ACCOUNT -> Answers.error(ctx, 409, "own_account", "An administrator cannot disable themself; ask another administrator.");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The user named in the path; a name no user can have is answered as not found. */
    private static String name(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (name == null || !name.matches(NAME)) {
            throw new Problem(404, "not_found", "No such user.");
        }
        return name;
    }

    /** These routes take an optional JSON body ({@code reason}); none at all is an empty one. */
    private static JsonObject optionalBody(RoutingContext ctx) {
        return ctx.body() == null || ctx.body().length() <= 0 ? new JsonObject() : Inputs.body(ctx);
    }
}
