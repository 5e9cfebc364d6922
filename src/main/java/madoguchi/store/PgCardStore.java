package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.cards.CardStore;
import madoguchi.domain.CardState;

import java.util.List;
import java.util.Optional;

public final class PgCardStore implements CardStore {
    private static final String COLUMNS = "id, notice_number, birth_date, phone, site_id, state";

    private final Pool pool;

    public PgCardStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Optional<CardRecord>> byNoticeNumber(String noticeNumber) {
        return one("SELECT " + COLUMNS + " FROM cards WHERE notice_number = $1", Tuple.of(noticeNumber));
    }

    @Override
    public Future<Optional<CardRecord>> byId(long id) {
        return one("SELECT " + COLUMNS + " FROM cards WHERE id = $1", Tuple.of(id));
    }

    @Override
    public Future<List<Move>> history(long cardId) {
        return pool.preparedQuery("SELECT at, from_state, to_state, reason, source, from_site, to_site FROM card_events"
                + " WHERE card_id = $1 ORDER BY at, id").execute(Tuple.of(cardId)).map(rows -> {
                    List<Move> out = new java.util.ArrayList<>();
                    for (io.vertx.sqlclient.Row r : rows) {
                        out.add(new Move(r.getOffsetDateTime("at").toInstant(),
                                r.getString("from_state") == null ? null : CardState.fromWire(r.getString("from_state")).orElse(null),
                                CardState.fromWire(r.getString("to_state")).orElse(null), r.getString("reason"), r.getString("source"),
                                r.getString("from_site"), r.getString("to_site")));
                    }
                    return out;
                });
    }

    @Override
    public Future<List<CardRecord>> byPhone(String e164) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM cards WHERE phone = ANY($1::text[]) ORDER BY id LIMIT 50")
                .execute(Tuple.of(madoguchi.domain.PhoneNumber.storedForms(e164).toArray(new String[0]))).map(rows -> PgSeatSource.list(rows, PgCardStore::card));
    }

    private Future<Optional<CardRecord>> one(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args)
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(card(rows.iterator().next())));
    }

    static CardRecord card(Row r) {
        return new CardRecord(r.getLong("id"), r.getString("notice_number"), r.getLocalDate("birth_date"),
                r.getString("phone"), r.getString("site_id"),
                CardState.fromWire(r.getString("state")).orElse(CardState.APPLIED));
    }
}
