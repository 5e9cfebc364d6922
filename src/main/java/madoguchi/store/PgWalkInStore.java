package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.AuditEntry;
import madoguchi.app.counter.WalkInStore;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Walk-in tickets in PostgreSQL (see {@link WalkInStore} for the promises). */
public final class PgWalkInStore implements WalkInStore {
    private static final String TICKET_COLUMNS = "t.id, t.site_id, t.day, t.number, c.notice_number, t.phone, t.language, t.state,"
            + " t.calls, t.counter, t.taken_at, t.called_at";
    private static final String CARD = "SELECT c.id, c.site_id, c.state, c.birth_date, s.walk_in FROM cards c, sites s"
            + " WHERE c.notice_number = $1 AND s.id = $2 FOR UPDATE OF c";
    private static final String OPEN_TICKET = "SELECT " + TICKET_COLUMNS + " FROM walk_in_tickets t JOIN cards c ON c.id = t.card_id"
            + " WHERE t.card_id = $1 AND t.day = $2 AND t.state IN ('waiting', 'called')";
    // the day's cap is the seats of the site's open slots that day, tuned like any site's capacity
    private static final String CAP = "SELECT coalesce(sum(capacity) FILTER (WHERE NOT blocked), 0) AS cap FROM slots"
            + " WHERE site_id = $1 AND start_at >= $2 AND start_at < $3";
    // the row lock on the site's day orders the doors: one number each, none given twice
    private static final String NUMBER = "INSERT INTO walk_in_days (site_id, day, last_number) VALUES ($1, $2, 1)"
            + " ON CONFLICT (site_id, day) DO UPDATE SET last_number = walk_in_days.last_number + 1 RETURNING last_number";
    private static final String AHEAD = "SELECT count(*) AS ahead FROM walk_in_tickets WHERE site_id = $1 AND day = $2 AND state = 'waiting'";
    private static final String INSERT = "INSERT INTO walk_in_tickets (site_id, day, number, card_id, phone, language, taken_at, taken_by,"
            + " near_told) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    private static final String CALL_NEXT = "UPDATE walk_in_tickets SET state = 'called', calls = 1, counter = $3, called_at = $4"
            + " WHERE id = (SELECT id FROM walk_in_tickets WHERE site_id = $1 AND day = $2 AND state = 'waiting'"
            + "  ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id";
    private static final String CALL_AGAIN = "UPDATE walk_in_tickets SET"
            + " state = CASE WHEN calls >= $4 THEN 'no_show' ELSE 'called' END,"
            + " calls = CASE WHEN calls >= $4 THEN calls ELSE calls + 1 END,"
            + " ended_at = CASE WHEN calls >= $4 THEN $6::timestamptz END,"
            + " counter = $5, called_at = CASE WHEN calls >= $4 THEN called_at ELSE $6::timestamptz END"
            + " WHERE site_id = $1 AND day = $2 AND number = $3 AND state = 'called' RETURNING id";
    // the first four waiting: three or fewer before them; each is told once
    private static final String NEAR = "UPDATE walk_in_tickets t SET near_told = true FROM ("
            + " SELECT id, row_number() OVER (ORDER BY number) - 1 AS ahead FROM walk_in_tickets"
            + " WHERE site_id = $1 AND day = $2 AND state = 'waiting' ORDER BY number LIMIT 4) w"
            + " WHERE t.id = w.id AND NOT t.near_told RETURNING t.number, t.phone, t.language, w.ahead";
    private static final String TICKET = "SELECT " + TICKET_COLUMNS + " FROM walk_in_tickets t JOIN cards c ON c.id = t.card_id"
            + " WHERE t.id = $1";
    private static final String BOARD_CALLED = "SELECT " + TICKET_COLUMNS + " FROM walk_in_tickets t JOIN cards c ON c.id = t.card_id"
            + " WHERE t.site_id = $1 AND t.day = $2 AND t.state = 'called' ORDER BY t.called_at DESC LIMIT 12";
    private static final String BOARD_COUNTS = "SELECT count(*) FILTER (WHERE state = 'waiting') AS waiting,"
            + " count(*) FILTER (WHERE state = 'served') AS served,"
            + " coalesce(extract(epoch FROM sum(ended_at - called_at) FILTER (WHERE state = 'served')), 0)::bigint AS served_seconds,"
            + " count(DISTINCT counter) FILTER (WHERE called_at > $3) AS counters"
            + " FROM walk_in_tickets WHERE site_id = $1 AND day = $2";

    private final Pool pool;

    public PgWalkInStore(Pool pool) {
        this.pool = pool;
    }

    /** The number was given past the day's cap: the transaction rolls back and gives it back. */
    private static final class Refused extends RuntimeException {
        final TakeRefused refusal;

        Refused(TakeRefused refusal) {
            super(refusal.code(), null, false, false);
            this.refusal = refusal;
        }
    }

    @Override
    public Future<TakeResult> take(String siteId, LocalDate day, Instant from, Instant to, String notice, LocalDate birthDate,
                                   String phone, String language, String actor, Instant at, Function<Ticket, AuditEntry> audit) {
        return pool.<TakeResult>withTransaction(conn -> conn.preparedQuery(CARD).execute(Tuple.of(notice, siteId)).compose(cards -> {
            if (cards.size() == 0) {
                return refused("not_found", null);
            }
            Row card = cards.iterator().next();
            if (!card.getBoolean("walk_in")) {
                return refused("not_walk_in", null);
            }
            if (birthDate != null && !birthDate.equals(card.getLocalDate("birth_date"))) {
                return refused("verification_failed", null);
            }
            if (!card.getString("state").equals("ready")) {
                return refused("card_not_ready", null);
            }
            if (!card.getString("site_id").equals(siteId)) {
                return refused("wrong_site", null);
            }
            long cardId = card.getLong("id");
            return conn.preparedQuery(OPEN_TICKET).execute(Tuple.of(cardId, day)).compose(open -> {
                if (open.size() > 0) {
                    return refused("already_waiting", ticket(open.iterator().next()));
                }
                return conn.preparedQuery(CAP).execute(Tuple.of(siteId, Rows.time(from), Rows.time(to)))
                        .compose(caps -> conn.preparedQuery(NUMBER).execute(Tuple.of(siteId, day)).compose(numbers -> {
                            int cap = caps.iterator().next().getLong("cap").intValue();
                            int number = numbers.iterator().next().getInteger("last_number");
                            if (number > cap) {
                                // thrown, not answered: the transaction rolls back and the number is not used up
                                return Future.failedFuture(new Refused(new TakeRefused(cap == 0 ? "site_closed" : "tickets_gone", null)));
                            }
                            return insert(conn, siteId, day, number, cardId, phone, language, actor, at);
                        }));
            });
        }).compose(taken -> {
            if (!(taken instanceof Taken t)) {
                return Future.succeededFuture(taken);
            }
            Future<Void> audited = audit == null ? Future.succeededFuture() : PgAudit.insert(conn, audit.apply(t.ticket()));
            return audited.compose(v -> PgBoardNews.announce(conn, siteId)).map(taken);
        }))
                .recover(e -> e instanceof Refused r ? Future.succeededFuture(r.refusal) : Future.failedFuture(e));
    }

    private static Future<TakeResult> refused(String code, Ticket existing) {
        return Future.succeededFuture(new TakeRefused(code, existing));
    }

    private static Future<TakeResult> insert(SqlConnection conn, String siteId, LocalDate day, int number, long cardId, String phone,
                                             String language, String actor, Instant at) {
        return conn.preparedQuery(AHEAD).execute(Tuple.of(siteId, day)).compose(counted -> {
            int ahead = counted.iterator().next().getLong("ahead").intValue();
            // three or fewer before them: they are near already and are told so at the door, not by SMS
            Tuple args = Tuple.tuple().addString(siteId).addLocalDate(day).addInteger(number).addLong(cardId).addString(phone)
                    .addString(language).addOffsetDateTime(Rows.time(at)).addString(actor).addBoolean(ahead <= 3);
            return conn.preparedQuery(INSERT).execute(args)
                    .compose(rows -> byId(conn, rows.iterator().next().getLong("id")))
                    .map(t -> (TakeResult) new Taken(t, ahead));
        });
    }

    @Override
    public Future<CallResult> callNext(String siteId, LocalDate day, int counter, String actor, Instant at,
                                       Function<Ticket, AuditEntry> audit) {
        return called(siteId, day, CALL_NEXT, Tuple.of(siteId, day, counter, Rows.time(at)), audit);
    }

    @Override
    public Future<CallResult> callAgain(String siteId, LocalDate day, int number, int counter, int maxCalls, String actor, Instant at,
                                        Function<Ticket, AuditEntry> audit) {
        return called(siteId, day, CALL_AGAIN, Tuple.of(siteId, day, number, maxCalls, counter, Rows.time(at)), audit);
    }

    private Future<CallResult> called(String siteId, LocalDate day, String sql, Tuple args, Function<Ticket, AuditEntry> audit) {
        return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(args).compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture((CallResult) new NoneWaiting());
            }
            return byId(conn, rows.iterator().next().getLong("id")).compose(ticket -> {
                Future<Void> audited = audit == null ? Future.succeededFuture() : PgAudit.insert(conn, audit.apply(ticket));
                return audited.compose(v -> PgBoardNews.announce(conn, siteId)).compose(v -> {
                    if (ticket.state().equals("no_show")) {
                        return Future.succeededFuture((CallResult) new NoShow(ticket));
                    }
                    return conn.preparedQuery(NEAR).execute(Tuple.of(siteId, day)).map(near -> {
                        List<Near> told = new ArrayList<>();
                        for (Row r : near) {
                            if (r.getString("phone") != null) {
                                told.add(new Near(r.getInteger("number"), r.getString("phone"), r.getString("language"),
                                        r.getLong("ahead").intValue()));
                            }
                        }
                        return (CallResult) new Called(ticket, told);
                    });
                });
            });
        }));
    }

    @Override
    public Future<Board> board(String siteId, LocalDate day, Instant at) {
        return pool.preparedQuery(BOARD_CALLED).execute(Tuple.of(siteId, day)).compose(called -> {
            List<Ticket> tickets = new ArrayList<>();
            called.forEach(r -> tickets.add(ticket(r)));
            return pool.preparedQuery(BOARD_COUNTS).execute(Tuple.of(siteId, day, Rows.time(at.minus(Duration.ofMinutes(30)))))
                    .map(rows -> {
                        Row r = rows.iterator().next();
                        return new Board(siteId, tickets, r.getLong("waiting").intValue(), r.getLong("served").intValue(),
                                Duration.ofSeconds(r.getLong("served_seconds")), r.getLong("counters").intValue());
                    });
        });
    }

    private static Future<Ticket> byId(SqlConnection conn, long id) {
        return conn.preparedQuery(TICKET).execute(Tuple.of(id)).map(rows -> ticket(rows.iterator().next()));
    }

    private static Ticket ticket(Row r) {
        return new Ticket(r.getLong("id"), r.getString("site_id"), r.getLocalDate("day"), r.getInteger("number"),
                r.getString("notice_number"), r.getString("phone"), r.getString("language"), r.getString("state"),
                r.getInteger("calls"), r.getInteger("counter"), Rows.instant(r.getOffsetDateTime("taken_at")),
                Rows.instant(r.getOffsetDateTime("called_at")));
    }
}
