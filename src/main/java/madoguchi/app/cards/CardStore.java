package madoguchi.app.cards;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface CardStore {

    Future<Optional<CardRecord>> byNoticeNumber(String noticeNumber);

    Future<Optional<CardRecord>> byId(long id);

    /** The cards with this phone number (given in E.164), however the card file wrote it; at most 50. */
    Future<List<CardRecord>> byPhone(String e164);

    /** One move of a card in its history: its state and site before and after, when, why, and who or what moved it. */
    record Move(java.time.Instant at, madoguchi.domain.CardState from, madoguchi.domain.CardState to, String reason, String source,
                String fromSite, String toSite) {
    }

    /** The card's history, oldest first (empty for a card without moves). */
    Future<List<Move>> history(long cardId);
}
