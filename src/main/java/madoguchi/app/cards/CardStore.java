package madoguchi.app.cards;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

public interface CardStore {

    Future<Optional<CardRecord>> byNoticeNumber(String noticeNumber);

    Future<Optional<CardRecord>> byId(long id);

    Future<List<CardRecord>> byPhone(String phone);
}
