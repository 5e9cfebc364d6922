package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.Words;
import madoguchi.app.counter.CounterDesk;
import madoguchi.app.counter.CounterStore;
import madoguchi.app.counter.WalkIn;
import madoguchi.app.counter.WalkInStore;
import madoguchi.app.sites.Sites;
import madoguchi.app.staff.Principal;
import madoguchi.domain.CounterStep;
import madoguchi.domain.IdentityCheck;
import madoguchi.domain.NoticeNumber;
import madoguchi.domain.PhoneNumber;
import madoguchi.domain.PickUpNeeds;
import madoguchi.domain.Site;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The counter's day for staff: the day list of a site (JSON or CSV), the steps of a resident's
 * visit, what a resident needs, and a walk-in site's tickets and calls. Under /api/v1/operator/,
 * so operators and administrators may use it.
 */
public final class CounterApi {
    /** How each refusal is answered: its status and its words. */
    private static final Map<String, Refused> REFUSED = Map.ofEntries(
            Map.entry("not_found", new Refused(404, Words.NOT_FOUND)),
            Map.entry("step_done", new Refused(409, Words.STEP_DONE)),
            Map.entry("step_out_of_order", new Refused(409, Words.STEP_OUT_OF_ORDER)),
            Map.entry("no_visit", new Refused(409, Words.NO_VISIT)),
            Map.entry("no_booking_today", new Refused(409, Words.NO_BOOKING_TODAY)),
            Map.entry("identity_insufficient", new Refused(422, Words.IDENTITY_INSUFFICIENT)),
            Map.entry("card_not_ready", new Refused(409, Words.CARD_NOT_READY)),
            Map.entry("not_active", new Refused(409, Words.NOT_FOUND)),
            Map.entry("wrong_site", new Refused(409, Words.WRONG_SITE)),
            Map.entry("not_walk_in", new Refused(409, Words.NOT_WALK_IN)),
            Map.entry("site_closed", new Refused(409, Words.SITE_CLOSED)),
            Map.entry("tickets_gone", new Refused(409, Words.TICKETS_GONE)),
            Map.entry("verification_failed", new Refused(422, Words.VERIFICATION_FAILED)));

    private record Refused(int status, Words words) {
    }

    /** What the counter's requests work with: the counter desk, the walk-in queue, the sites. */
    public record Needs(CounterDesk desk, WalkIn walkIn, Sites sites, java.time.Clock clock) {
    }

    private final Needs s;

    CounterApi(Needs needs) {
        this.s = needs;
    }

    void mount(Router router) {
        // /api/v1/operator/* is guarded in HttpVerticle, from the headers, before the body handler reads a byte
        router.get("/api/v1/operator/sites/:siteId/day").handler(this::day);
        // under /api/v1/admin/: administrators only, like the other reports
        router.get("/api/v1/admin/reports/counters").handler(this::throughput);
        router.post("/api/v1/operator/cards/:noticeNumber/steps").handler(this::step);
        router.get("/api/v1/operator/cards/:noticeNumber/needs").handler(this::needs);
        router.put("/api/v1/operator/cards/:noticeNumber/needs").handler(this::setNeeds);
        router.post("/api/v1/operator/sites/:siteId/tickets").handler(this::ticket);
        router.post("/api/v1/operator/sites/:siteId/calls").handler(this::callNext);
        router.post("/api/v1/operator/sites/:siteId/tickets/:number/call-again").handler(this::callAgain);
    }

    /** Every booking (and ticket) of a site on a date, by time; {@code state} filters, {@code format=csv} downloads. */
    private void day(RoutingContext ctx) {
        Site site = site(ctx);
        LocalDate day = Inputs.date(Inputs.query(ctx, "date"), "date");
        String state = Inputs.query(ctx, "state");
        String format = Inputs.query(ctx, "format");
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw Problem.badRequest("'format' must be json or csv.");
        }
        s.desk().day(site.id(), day).onFailure(ctx::fail).onSuccess(lines -> {
            List<JsonObject> shown = new ArrayList<>();
            for (CounterStore.DayLine line : lines) {
                JsonObject json = line(line);
                if (state == null || state.equals(json.getString("state"))) {
                    shown.add(json);
                }
            }
            if ("csv".equals(format)) {
                ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"" + site.id() + "-" + day + ".csv\"")
                        .end(DayCsv.of(shown));
                return;
            }
            Answers.json(ctx, 200, new JsonObject().put("siteId", site.id()).put("date", day.toString()).put("walkIn", site.walkIn())
                    .put("lines", new JsonArray(shown)));
        });
    }

    /** Cards handed over per site and day and the counter-hours worked; the last 30 days unless told. */
    private void throughput(RoutingContext ctx) {
        String toText = Inputs.query(ctx, "to");
        String fromText = Inputs.query(ctx, "from");
        LocalDate to = toText == null ? LocalDate.now(s.clock().withZone(madoguchi.domain.BookingWindow.TOKYO)) : Inputs.date(toText, "to");
        LocalDate from = fromText == null ? to.minusDays(29) : Inputs.date(fromText, "from");
        if (from.isAfter(to) || from.isBefore(to.minusDays(366))) {
            throw Problem.badRequest("'from' must be before 'to', at most 366 days before.");
        }
        s.desk().throughput(from, to).onFailure(ctx::fail).onSuccess(rows -> {
            JsonArray days = new JsonArray();
            int issued = 0;
            int hours = 0;
            for (CounterStore.Throughput t : rows) {
                days.add(new JsonObject().put("date", t.day().toString()).put("siteId", t.siteId()).put("issued", t.issued())
                        .put("counterHours", t.counterHours()).put("issuedPerCounterHour", perHour(t.issued(), t.counterHours())));
                issued += t.issued();
                hours += t.counterHours();
            }
            Answers.json(ctx, 200, new JsonObject().put("from", from.toString()).put("to", to.toString()).put("days", days)
                    .put("totals", new JsonObject().put("issued", issued).put("counterHours", hours)
                            .put("issuedPerCounterHour", perHour(issued, hours))));
        });
    }

    /** Issued per counter-hour, to one decimal; null without counter-hours. */
    private static Double perHour(int issued, int hours) {
        return hours == 0 ? null : Math.round(issued * 10.0 / hours) / 10.0;
    }

    /** A line of the day: name-free identifiers, the state reached, the steps' times, the needs. */
    static JsonObject line(CounterStore.DayLine l) {
        CounterStore.Visit v = l.visit();
        String state = v != null ? v.last().wire() : l.status();
        JsonObject out = new JsonObject().put("start", Answers.time(l.start())).put("end", Answers.time(l.end()))
                .put("noticeNumber", l.noticeNumber()).put("code", l.code()).put("ticket", l.ticket()).put("channel", l.channel())
                .put("status", l.status()).put("state", state).put("override", l.override()).put("note", l.note())
                .put("needs", l.needs().any() ? CounterDesk.json(l.needs()) : null);
        if (v != null) {
            out.put("visit", visit(v));
        }
        return out;
    }

    private static JsonObject visit(CounterStore.Visit v) {
        return new JsonObject().put("counter", v.counter()).put("arrivedAt", Answers.time(v.arrivedAt()))
                .put("identityCheckedAt", Answers.time(v.identityAt())).put("documents", new JsonArray(v.documents()))
                .put("byProxy", v.byProxy()).put("pinsAt", Answers.time(v.pinsAt())).put("pins", v.pins())
                .put("pinsReason", v.pinsReason()).put("returnedAt", Answers.time(v.returnedAt()))
                .put("returned", new JsonArray(v.returned())).put("issuedAt", Answers.time(v.issuedAt()));
    }

    /** The next step of the card's visit today; each step names what it records. */
    private void step(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String notice = notice(ctx);
        JsonObject body = Inputs.body(ctx);
        CounterStep step = CounterStep.fromWire(Inputs.text(body, "step", 30)).orElseThrow(() -> Problem.badRequest(
                "'step' must be arrived, identity_checked, pins, returned or issued."));
        Integer counter = Inputs.optionalInteger(body, "counter", 1, 999);
        IdentityCheck identity = null;
        String pins = null;
        String pinsReason = null;
        List<String> returned = List.of();
        switch (step) {
            case IDENTITY_CHECKED -> identity = identity(ctx, body);
            case PINS -> {
                pins = Inputs.text(body, "pins", 20);
                if (!pins.equals("set") && !pins.equals("postponed")) {
                    throw Problem.badRequest("'pins' must be set or postponed.");
                }
                pinsReason = Inputs.optionalText(body, "reason", 500);
                if (pins.equals("postponed") && pinsReason == null) {
                    throw new Problem(400, "reason_required", "Postponing the PINs needs a reason.");
                }
            }
            case RETURNED -> returned = strings(body, "returned", List.of("notification_card", "expired_card", "none"));
            default -> { }
        }
        CounterStore.StepInput input = new CounterStore.StepInput(step, counter, identity, pins, pinsReason, returned);
        s.desk().step(who, notice, input).onFailure(ctx::fail).onSuccess(result -> {
            if (result instanceof CounterStore.StepRefused r) {
                refuse(ctx, r.code(), null);
            } else if (result instanceof CounterStore.StepDone done) {
                Answers.json(ctx, 200, new JsonObject().put("noticeNumber", notice).put("step", done.step().wire())
                        .put("siteId", done.siteId()).put("code", done.bookingCode()).put("ticket", done.ticket())
                        .put("visit", visit(done.visit())));
            }
        });
    }

    private static IdentityCheck identity(RoutingContext ctx, JsonObject body) {
        IdentityCheck check = new IdentityCheck(Inputs.bool(body, "notice", false), strings(body, "typeA", null),
                strings(body, "typeB", null), Inputs.bool(body, "byProxy", false), strings(body, "proxyDocuments", null));
        String unknown = check.unknownDocument();
        if (unknown != null) {
            throw new Problem(400, "unknown_document", Words.UNKNOWN_DOCUMENT.text(Answers.language(ctx), unknown));
        }
        return check;
    }

    /** A list of short names; {@code allowed} (when given) is what each may be. */
    private static List<String> strings(JsonObject body, String field, List<String> allowed) {
        Object v = body.getValue(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray array) || array.size() > 10) {
            throw Problem.badRequest("'" + field + "' must be a list of at most 10 names.");
        }
        List<String> out = new ArrayList<>();
        for (Object o : array) {
            if (!(o instanceof String name) || name.length() > 60 || (allowed != null && !allowed.contains(name))) {
                throw Problem.badRequest("'" + field + "' must hold " + (allowed == null ? "document names" : String.join(", ", allowed)) + ".");
            }
            out.add(name);
        }
        return out;
    }

    private void needs(RoutingContext ctx) {
        String notice = notice(ctx);
        s.desk().needs(notice).onFailure(ctx::fail).onSuccess(found -> {
            if (found.isEmpty()) {
                refuse(ctx, "not_found", null);
            } else {
                Answers.json(ctx, 200, CounterDesk.json(found.get()));
            }
        });
    }

    private void setNeeds(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String notice = notice(ctx);
        PickUpNeeds needs = needsOf(Inputs.body(ctx));
        s.desk().setNeeds(who, notice, needs).onFailure(ctx::fail).onSuccess(found -> {
            if (!found) {
                refuse(ctx, "not_found", null);
            } else {
                Answers.json(ctx, 200, CounterDesk.json(needs));
            }
        });
    }

    private static final List<String> NEEDS_FIELDS = List.of("wheelchair", "signLanguage", "interpreter", "hearingLoop", "other",
            "proxy", "proxyDocuments");

    /**
     * Needs from a request body (the resident's page sends the same shape). A PUT replaces them all,
     * so the four yes/no answers are required and an unknown field is refused: a body meant for
     * something else never clears what a resident told.
     */
    static PickUpNeeds needsOf(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!NEEDS_FIELDS.contains(field)) {
                throw Problem.badRequest("'" + field + "' is not one of " + String.join(", ", NEEDS_FIELDS) + ".");
            }
        }
        List<String> proxyDocuments = strings(body, "proxyDocuments", List.copyOf(IdentityCheck.PROXY));
        return new PickUpNeeds(required(body, "wheelchair"), required(body, "signLanguage"),
                Inputs.optionalText(body, "interpreter", 60), required(body, "hearingLoop"),
                Inputs.optionalText(body, "other", 500), required(body, "proxy"), proxyDocuments);
    }

    private static boolean required(JsonObject body, String field) {
        if (!(body.getValue(field) instanceof Boolean yes)) {
            throw Problem.badRequest("'" + field + "' must be true or false.");
        }
        return yes;
    }

    /** A ticket at the door of a walk-in site. */
    private void ticket(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        Site site = site(ctx);
        JsonObject body = Inputs.body(ctx);
        String notice = NoticeNumber.normalize(Inputs.text(body, "noticeNumber", 40));
        if (notice == null) {
            throw Problem.badRequest("'noticeNumber' must be 6 to 20 digits.");
        }
        String birth = Inputs.optionalText(body, "birthDate", 10);
        LocalDate birthDate = birth == null ? null : Inputs.date(birth, "birthDate");
        String phoneText = Inputs.optionalText(body, "phone", 30);
        String phone = phoneText == null ? null : PhoneNumber.e164(phoneText);
        if (phoneText != null && phone == null) {
            throw Problem.badRequest("'phone' must be a phone number such as 090-1234-5678.");
        }
        String lang = Inputs.optionalText(body, "language", 5);
        Words.Language language = lang == null ? Answers.language(ctx) : Words.Language.of(lang);
        s.walkIn().take(who, site.id(), notice, birthDate, phone, language).onFailure(ctx::fail).onSuccess(result -> {
            if (result instanceof WalkInStore.TakeRefused r) {
                refuse(ctx, r.code(), r.existing());
                return;
            }
            WalkInStore.Taken taken = (WalkInStore.Taken) result;
            s.walkIn().board(site.id()).onFailure(ctx::fail).onSuccess(board ->
                    Answers.json(ctx, 201, ticket(taken.ticket()).put("ahead", taken.ahead())
                            .put("expectedWaitMinutes", WalkIn.expectedWait(board, taken.ahead()))));
        });
    }

    private void callNext(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        Site site = site(ctx);
        int counter = Inputs.integer(Inputs.body(ctx), "counter", 1, 999);
        s.walkIn().callNext(who, site.id(), counter).onFailure(ctx::fail).onSuccess(result -> called(ctx, result));
    }

    private void callAgain(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        Site site = site(ctx);
        int number = (int) Math.min(Integer.MAX_VALUE, Inputs.pathId(ctx, "number"));
        int counter = Inputs.integer(Inputs.body(ctx), "counter", 1, 999);
        s.walkIn().callAgain(who, site.id(), number, counter).onFailure(ctx::fail).onSuccess(result -> called(ctx, result));
    }

    private static void called(RoutingContext ctx, WalkInStore.CallResult result) {
        if (result instanceof WalkInStore.Called c) {
            Answers.json(ctx, 200, ticket(c.ticket()));
        } else if (result instanceof WalkInStore.NoShow n) {
            Answers.json(ctx, 200, ticket(n.ticket()));
        } else {
            Answers.error(ctx, 404, "none_waiting", Answers.language(ctx) == Words.Language.EN
                    ? "Nobody with that number is waiting to be called." : "呼び出せる番号札はありません。");
        }
    }

    /** A ticket as staff see it (the board shows only its number and counter). */
    static JsonObject ticket(WalkInStore.Ticket t) {
        return new JsonObject().put("number", t.number()).put("siteId", t.siteId()).put("date", t.day().toString())
                .put("noticeNumber", t.noticeNumber()).put("state", t.state()).put("calls", t.calls()).put("counter", t.counter())
                .put("sms", t.phone() != null).put("takenAt", Answers.time(t.takenAt())).put("calledAt", Answers.time(t.calledAt()));
    }

    private static void refuse(RoutingContext ctx, String code, WalkInStore.Ticket existing) {
        if (code.equals("already_waiting") && existing != null) {
            Answers.json(ctx, 409, new JsonObject().put("error", code)
                    .put("message", Words.ALREADY_WAITING.text(Answers.language(ctx), Integer.toString(existing.number())))
                    .put("ticket", ticket(existing)));
            return;
        }
        Refused r = REFUSED.get(code);
        if (r == null) {
            Answers.error(ctx, 409, code, code);
            return;
        }
        Answers.error(ctx, r.status(), code, r.words().text(Answers.language(ctx), null, null));
    }

    private Site site(RoutingContext ctx) {
        Site site = s.sites().get(ctx.pathParam("siteId").toLowerCase(Locale.ROOT));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        return site;
    }

    private static String notice(RoutingContext ctx) {
        String notice = NoticeNumber.normalize(ctx.pathParam("noticeNumber"));
        if (notice == null) {
            throw Problem.badRequest("'noticeNumber' must be 6 to 20 digits.");
        }
        return notice;
    }
}
