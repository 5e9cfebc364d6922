package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.sms.NoticeChoices;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

public final class PgNoticeChoices implements NoticeChoices {
    private final Pool pool;

    public PgNoticeChoices(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Optional<Boolean>> sms(long cardId) {
        return pool.preparedQuery("SELECT sms FROM card_notice_choices WHERE card_id = $1").execute(Tuple.of(cardId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBoolean("sms")));
    }

    @Override
    public Future<Void> setSms(long cardId, boolean wanted, Instant at) {
        return pool.preparedQuery("INSERT INTO card_notice_choices (card_id, sms, changed_at) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (card_id) DO UPDATE SET sms = $2, changed_at = $3")
                .execute(Tuple.of(cardId, wanted, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))).mapEmpty();
    }
}
