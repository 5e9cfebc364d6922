package madoguchi.app.sms;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.Optional;

/** What a resident chose on the page about SMS notices of their booking, kept per card for later notices. */
public interface NoticeChoices {

    /** The card's choice, or empty when it never chose (then it gets them: the box is ticked by default). */
    Future<Optional<Boolean>> sms(long cardId);

    Future<Void> setSms(long cardId, boolean wanted, Instant at);
}
