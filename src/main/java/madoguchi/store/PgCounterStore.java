package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.AuditEntry;
import madoguchi.app.cards.LifecycleStore;
import madoguchi.app.counter.CounterStore;
import madoguchi.domain.CounterStep;
import madoguchi.domain.PickUpNeeds;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The counter's day in PostgreSQL: visits and their steps, the day list, the residents' needs. */
public final class PgCounterStore implements CounterStore {
    private static final String VISIT_COLUMNS = "v.site_id AS v_site, v.counter, v.arrived_at, v.identity_at, v.identity_documents,"
            + " v.by_proxy, v.pins_at, v.pins, v.pins_reason, v.returned_at, v.returned, v.issued_at";
    private static final String NEEDS_COLUMNS = "n.card_id AS n_card, n.wheelchair, n.sign_language, n.interpreter, n.hearing_loop,"
            + " n.other, n.proxy, n.proxy_documents";
    private static final String DAY = "SELECT * FROM ("
            + " SELECT s.start_at, s.end_at, c.notice_number, b.code, NULL::int AS ticket, b.channel, b.status, b.override,"
            + "  b.override_reason AS note, " + VISIT_COLUMNS + ", " + NEEDS_COLUMNS
            + " FROM slots s JOIN bookings b ON b.slot_id = s.id JOIN cards c ON c.id = b.card_id"
            + " LEFT JOIN counter_visits v ON v.booking_id = b.id LEFT JOIN pickup_needs n ON n.card_id = b.card_id"
            + " WHERE s.site_id = $1 AND s.start_at >= $2 AND s.start_at < $3 AND b.status <> 'cancelled'"
            + " UNION ALL"
            + " SELECT t.taken_at, NULL, c.notice_number, NULL, t.number, 'walk_in', t.state, false, NULL, " + VISIT_COLUMNS + ", "
            + NEEDS_COLUMNS
            + " FROM walk_in_tickets t JOIN cards c ON c.id = t.card_id"
            + " LEFT JOIN counter_visits v ON v.ticket_id = t.id LEFT JOIN pickup_needs n ON n.card_id = t.card_id"
            + " WHERE t.site_id = $1 AND t.day = $4) d ORDER BY start_at, code, ticket";
    // a counter-hour: a counter that took any step of any visit in that hour (Tokyo time)
    private static final String THROUGHPUT = "WITH steps AS ("
            + " SELECT v.day, v.site_id, v.counter, s.at FROM counter_visits v"
            + " CROSS JOIN LATERAL (VALUES (v.arrived_at), (v.identity_at), (v.pins_at), (v.returned_at), (v.issued_at)) s(at)"
            + " WHERE v.day BETWEEN $1 AND $2 AND s.at IS NOT NULL AND v.counter IS NOT NULL),"
            + " hours AS (SELECT day, site_id,"
            + "  count(DISTINCT counter::text || '@' || date_trunc('hour', at AT TIME ZONE 'Asia/Tokyo')::text) AS counter_hours"
            + "  FROM steps GROUP BY day, site_id),"
            + " issued AS (SELECT day, site_id, count(*) FILTER (WHERE issued_at IS NOT NULL) AS issued FROM counter_visits"
            + "  WHERE day BETWEEN $1 AND $2 GROUP BY day, site_id)"
            + " SELECT i.day, i.site_id, i.issued, coalesce(h.counter_hours, 0) AS counter_hours"
            + " FROM issued i LEFT JOIN hours h USING (day, site_id) ORDER BY i.day, i.site_id";
    private static final String CARD = "SELECT id, state FROM cards WHERE notice_number = $1 FOR UPDATE";
    private static final String VISIT = "SELECT v.id, v.booking_id, v.ticket_id, b.code, t.number, " + VISIT_COLUMNS
            + " FROM counter_visits v LEFT JOIN bookings b ON b.id = v.booking_id LEFT JOIN walk_in_tickets t ON t.id = v.ticket_id"
            + " WHERE v.card_id = $1 AND v.day = $2 FOR UPDATE OF v";
    // a late resident whose booking the sweep already made a no-show may still be served
    private static final String BOOKING_TODAY = "SELECT b.id, b.code, b.site_id FROM bookings b JOIN slots s ON s.id = b.slot_id"
            + " WHERE b.card_id = $1 AND b.status IN ('active', 'no_show') AND s.start_at >= $2 AND s.start_at < $3"
            + " ORDER BY b.status = 'active' DESC, s.start_at LIMIT 1";
    private static final String CALLED_TICKET = "SELECT id, number, site_id, counter FROM walk_in_tickets"
            + " WHERE card_id = $1 AND day = $2 AND state = 'called'";
    private static final String ARRIVE = "INSERT INTO counter_visits (card_id, site_id, day, booking_id, ticket_id, counter, arrived_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + VISIT_COLUMNS.replace("v.", "");
    private static final String RETURNING = " WHERE id = $1 RETURNING " + VISIT_COLUMNS.replace("v.", "");
    private static final String IDENTITY = "UPDATE counter_visits SET identity_at = $2, identity_documents = $3, by_proxy = $4,"
            + " counter = coalesce($5, counter)" + RETURNING;
    private static final String PINS = "UPDATE counter_visits SET pins_at = $2, pins = $3, pins_reason = $4, counter = coalesce($5, counter)"
            + RETURNING;
    private static final String RETURNED = "UPDATE counter_visits SET returned_at = $2, returned = $3, counter = coalesce($4, counter)"
            + RETURNING;
    private static final String ISSUED = "UPDATE counter_visits SET issued_at = $2, counter = coalesce($3, counter)" + RETURNING;
    private static final String SERVE_TICKET = "UPDATE walk_in_tickets SET state = 'served', ended_at = $2 WHERE id = $1 RETURNING site_id";
    private static final String ISSUE_CARD = "UPDATE cards SET state = 'issued', cancel_reason = NULL, updated_at = $2"
            + " WHERE id = $1 AND state = 'ready'";
    private static final String CARD_EVENT = "INSERT INTO card_events (card_id, at, from_state, to_state, source)"
            + " VALUES ($1, $2, 'ready', 'issued', $3)";
    private static final String NEEDS = "SELECT c.id, " + NEEDS_COLUMNS
            + " FROM cards c LEFT JOIN pickup_needs n ON n.card_id = c.id WHERE c.notice_number = $1";
    private static final String SET_NEEDS = "INSERT INTO pickup_needs (card_id, wheelchair, sign_language, interpreter, hearing_loop,"
            + " other, proxy, proxy_documents, updated_by, updated_at)"
            + " SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM cards WHERE notice_number = $1"
            + " ON CONFLICT (card_id) DO UPDATE SET wheelchair = $2, sign_language = $3, interpreter = $4, hearing_loop = $5,"
            + " other = $6, proxy = $7, proxy_documents = $8, updated_by = $9, updated_at = $10";

    private final Pool pool;

    public PgCounterStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<List<DayLine>> day(String siteId, LocalDate day, Instant from, Instant to) {
        return pool.preparedQuery(DAY).execute(Tuple.of(siteId, Rows.time(from), Rows.time(to), day)).map(rows -> {
            List<DayLine> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new DayLine(Rows.instant(r.getOffsetDateTime("start_at")), Rows.instant(r.getOffsetDateTime("end_at")),
                        r.getString("notice_number"), r.getString("code"), r.getInteger("ticket"), r.getString("channel"),
                        r.getString("status"), r.getBoolean("override"), r.getString("note"), visit(r), needs(r)));
            }
            return out;
        });
    }

    @Override
    public Future<List<Throughput>> throughput(LocalDate from, LocalDate to) {
        return pool.preparedQuery(THROUGHPUT).execute(Tuple.of(from, to)).map(rows -> {
            List<Throughput> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Throughput(r.getLocalDate("day"), r.getString("site_id"), r.getLong("issued").intValue(),
                        r.getLong("counter_hours").intValue()));
            }
            return out;
        });
    }

    @Override
    public Future<StepResult> step(String noticeNumber, LocalDate day, Instant from, Instant to, StepInput input, String actor,
                                   Instant at, Function<StepDone, AuditEntry> audit) {
        OffsetDateTime now = Rows.time(at);
        return pool.withTransaction(conn -> conn.preparedQuery(CARD).execute(Tuple.of(noticeNumber)).compose(cards -> {
            if (cards.size() == 0) {
                return Future.succeededFuture(new StepRefused("not_found"));
            }
            Row card = cards.iterator().next();
            long cardId = card.getLong("id");
            return conn.preparedQuery(VISIT).execute(Tuple.of(cardId, day)).compose(visits -> {
                Row v = visits.size() == 0 ? null : visits.iterator().next();
                Future<StepResult> taken;
                if (input.step() == CounterStep.ARRIVED) {
                    taken = v != null ? Future.succeededFuture(new StepRefused("step_done"))
                            : arrive(conn, noticeNumber, cardId, card.getString("state"), day, from, to, input.counter(), now);
                } else if (v == null) {
                    taken = Future.succeededFuture(new StepRefused("no_visit"));
                } else {
                    String refusal = input.step().refusalAfter(visit(v).last());
                    taken = refusal != null ? Future.succeededFuture(new StepRefused(refusal))
                            : next(conn, noticeNumber, cardId, v, input, actor, now);
                }
                return taken.compose(result -> result instanceof StepDone done && audit != null
                        ? PgAudit.insert(conn, audit.apply(done)).map(result) : Future.succeededFuture(result));
            });
        }));
    }

    private Future<StepResult> arrive(SqlConnection conn, String notice, long cardId, String cardState, LocalDate day, Instant from,
                                      Instant to, Integer counter, OffsetDateTime now) {
        if (!cardState.equals("ready")) {
            return Future.succeededFuture(new StepRefused("card_not_ready"));
        }
        return conn.preparedQuery(BOOKING_TODAY).execute(Tuple.of(cardId, Rows.time(from), Rows.time(to))).compose(bookings -> {
            if (bookings.size() > 0) {
                Row b = bookings.iterator().next();
                return conn.preparedQuery(ARRIVE).execute(Tuple.of(cardId, b.getString("site_id"), day, b.getLong("id"), null, counter, now))
                        .map(rows -> (StepResult) new StepDone(notice, cardId, b.getString("site_id"), b.getString("code"), null,
                                CounterStep.ARRIVED, visit(rows.iterator().next())));
            }
            return conn.preparedQuery(CALLED_TICKET).execute(Tuple.of(cardId, day)).compose(tickets -> {
                if (tickets.size() == 0) {
                    return Future.succeededFuture(new StepRefused("no_booking_today"));
                }
                Row t = tickets.iterator().next();
                Integer at = counter != null ? counter : t.getInteger("counter");
                return conn.preparedQuery(ARRIVE).execute(Tuple.of(cardId, t.getString("site_id"), day, null, t.getLong("id"), at, now))
                        .map(rows -> (StepResult) new StepDone(notice, cardId, t.getString("site_id"), null, t.getInteger("number"),
                                CounterStep.ARRIVED, visit(rows.iterator().next())));
            });
        });
    }

    private Future<StepResult> next(SqlConnection conn, String notice, long cardId, Row v, StepInput in, String actor,
                                    OffsetDateTime now) {
        long id = v.getLong("id");
        String code = v.getString("code");
        Integer ticket = v.getInteger("number");
        String siteId = v.getString("v_site");
        Future<Optional<String>> before = Future.succeededFuture(Optional.empty());
        String sql;
        Tuple args;
        switch (in.step()) {
            case IDENTITY_CHECKED -> {
                sql = IDENTITY;
                args = Tuple.of(id, now, in.identity().all().toArray(new String[0]), in.identity().byProxy(), in.counter());
            }
            case PINS -> {
                sql = PINS;
                args = Tuple.of(id, now, in.pins(), in.pinsReason(), in.counter());
            }
            case RETURNED -> {
                sql = RETURNED;
                args = Tuple.of(id, now, in.returned().toArray(new String[0]), in.counter());
            }
            default -> {
                sql = ISSUED;
                args = Tuple.of(id, now, in.counter());
                before = code != null ? issueBooking(conn, code, actor, now)
                        : issueTicket(conn, v.getLong("ticket_id"), cardId, actor, now);
            }
        }
        return before.compose(refused -> refused.isPresent() ? Future.succeededFuture(new StepRefused(refused.get()))
                : conn.preparedQuery(sql).execute(args).map(rows -> (StepResult) new StepDone(notice, cardId, siteId, code, ticket,
                        in.step(), visit(rows.iterator().next()))));
    }

    /** Ends the booking as issued; the reason it cannot be, if any. */
    private static Future<Optional<String>> issueBooking(SqlConnection conn, String code, String actor, OffsetDateTime now) {
        return PgLifecycle.issueIn(conn, code, actor, now).map(result -> {
            if (result instanceof LifecycleStore.Issued || result instanceof LifecycleStore.AlreadyIssued) {
                return Optional.<String>empty();
            }
            return Optional.of(result instanceof LifecycleStore.CardNotReady ? "card_not_ready" : "not_active");
        });
    }

    /** Ends the walk-in ticket as served and the card as issued; the board hears of it. */
    private static Future<Optional<String>> issueTicket(SqlConnection conn, long ticketId, long cardId, String actor, OffsetDateTime now) {
        return conn.preparedQuery(SERVE_TICKET).execute(Tuple.of(ticketId, now))
                .compose(rows -> PgBoardNews.announce(conn, rows.iterator().next().getString("site_id")))
                .compose(v -> conn.preparedQuery(ISSUE_CARD).execute(Tuple.of(cardId, now)))
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(Optional.of("card_not_ready"))
                        : conn.preparedQuery(CARD_EVENT).execute(Tuple.of(cardId, now, "counter:" + actor)).map(x -> Optional.empty()));
    }

    @Override
    public Future<Optional<PickUpNeeds>> needs(String noticeNumber) {
        return pool.preparedQuery(NEEDS).execute(Tuple.of(noticeNumber))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(needs(rows.iterator().next())));
    }

    @Override
    public Future<Boolean> setNeeds(String noticeNumber, PickUpNeeds n, String actor, Instant at, AuditEntry audit) {
        Tuple args = Tuple.tuple().addString(noticeNumber).addBoolean(n.wheelchair()).addBoolean(n.signLanguage())
                .addString(n.interpreter()).addBoolean(n.hearingLoop()).addString(n.other()).addBoolean(n.proxy())
                .addArrayOfString(n.proxyDocuments().toArray(new String[0])).addString(actor).addOffsetDateTime(Rows.time(at));
        return pool.withTransaction(conn -> conn.preparedQuery(SET_NEEDS).execute(args).compose(rows -> rows.rowCount() == 0
                ? Future.succeededFuture(false)
                : audit == null ? Future.succeededFuture(true) : PgAudit.insert(conn, audit).map(true)));
    }

    private static Visit visit(Row r) {
        if (r.getOffsetDateTime("arrived_at") == null) {
            return null;
        }
        return new Visit(r.getString("v_site"), r.getInteger("counter"), Rows.instant(r.getOffsetDateTime("arrived_at")),
                Rows.instant(r.getOffsetDateTime("identity_at")), strings(r, "identity_documents"), r.getBoolean("by_proxy"),
                Rows.instant(r.getOffsetDateTime("pins_at")), r.getString("pins"), r.getString("pins_reason"),
                Rows.instant(r.getOffsetDateTime("returned_at")), strings(r, "returned"), Rows.instant(r.getOffsetDateTime("issued_at")));
    }

    private static PickUpNeeds needs(Row r) {
        if (r.getValue("n_card") == null) {
            return PickUpNeeds.NONE;
        }
        return new PickUpNeeds(r.getBoolean("wheelchair"), r.getBoolean("sign_language"), r.getString("interpreter"),
                r.getBoolean("hearing_loop"), r.getString("other"), r.getBoolean("proxy"), strings(r, "proxy_documents"));
    }

    private static List<String> strings(Row r, String column) {
        String[] values = r.getArrayOfStrings(column);
        return values == null ? List.of() : Arrays.asList(values);
    }
}
