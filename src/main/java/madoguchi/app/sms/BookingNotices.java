package madoguchi.app.sms;

import io.vertx.core.Future;
import madoguchi.app.Words;
import madoguchi.app.booking.CardRef;
import madoguchi.app.cards.CardStore;
import madoguchi.app.sites.Sites;
import madoguchi.domain.QuietHours;
import madoguchi.domain.Site;
import madoguchi.domain.SmsCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * SMS notices of a booking made, moved or cancelled on the web, to the mobile number the card
 * file keeps: phone bookings get their code by SMS, and web bookings now do too, unless the
 * resident unticked "Send me an SMS confirmation". The choice sent with a booking is kept for the
 * card and used for later notices (a cancellation carries none). The message waits in the outbox
 * until the provider took it; a notice never fails or holds up the booking. Numbers are never
 * logged; the page is shown only a masked number (080-****-3084).
 */
public final class BookingNotices {
    private static final Logger LOG = LoggerFactory.getLogger(BookingNotices.class);

    /** What happened to the booking. */
    public enum Kind {
        BOOKED(Words.SMS_WEB_BOOKED), MOVED(Words.SMS_WEB_MOVED), CANCELLED(Words.SMS_WEB_CANCELLED);

        private final Words words;

        Kind(Words words) {
            this.words = words;
        }
    }

    /** What the page may show: the card's mobile number masked (null when it has none) and whether notices are wanted. */
    public record Contact(String maskedMobile, boolean sms) {
    }

    private final CardStore cards;
    private final NoticeChoices choices;
    private final Sites sites;
    private final SmsOutbox outbox;
    private final Clock clock;
    private final String callCenter;

    public BookingNotices(CardStore cards, NoticeChoices choices, Sites sites, SmsOutbox outbox, Clock clock, String callCenter) {
        this.cards = cards;
        this.choices = choices;
        this.sites = sites;
        this.outbox = outbox;
        this.clock = clock;
        this.callCenter = callCenter;
    }

    public Future<Contact> contact(long cardId) {
        return cards.byId(cardId).compose(card -> choices.sms(cardId).map(choice -> {
            String mobile = card.map(c -> SmsCommand.e164(c.phone())).filter(SmsCommand::mobile).orElse(null);
            return new Contact(masked(mobile), mobile != null && choice.orElse(true));
        }));
    }

    /** The resident's choice made apart from a booking (on the booking's page): kept for the next notices. */
    public Future<Void> choose(long cardId, boolean wanted) {
        return choices.setSms(cardId, wanted, clock.instant());
    }

    /**
     * Keeps the choice sent with a booking or a move ({@code wanted}; null: none was sent), before
     * the change is answered, so that the next notice and the page follow it. Never fails: a choice
     * not kept leaves the one before.
     */
    public Future<Void> keep(CardRef card, Boolean wanted) {
        if (wanted == null) {
            return Future.succeededFuture();
        }
        return choices.setSms(card.cardId(), wanted, clock.instant()).recover(e -> {
            LOG.warn("the SMS choice of card {} was not kept: {}", card.cardId(), e.toString());
            return Future.succeededFuture();
        });
    }

    /**
     * Tells the resident by SMS, when they want it and the card has a mobile number;
     * {@code wanted} is the page's choice sent with this change, or null to use the kept one.
     * Completes with whether a message was put in the outbox; never fails.
     */
    public Future<Boolean> tell(CardRef card, Kind kind, String code, Instant start, Boolean wanted, Words.Language language) {
        if (Boolean.FALSE.equals(wanted)) {
            return Future.succeededFuture(false);
        }
        // the card first: without a mobile number there is nothing to send and no choice to read
        return cards.byId(card.cardId()).compose(found -> {
            String mobile = found.map(x -> SmsCommand.e164(x.phone())).filter(SmsCommand::mobile).orElse(null);
            if (mobile == null) {
                return Future.succeededFuture(false);
            }
            Future<Optional<Boolean>> choice = wanted != null ? Future.succeededFuture(Optional.of(wanted)) : choices.sms(card.cardId());
            return choice.compose(c -> {
                if (!c.orElse(true)) {
                    return Future.succeededFuture(false);
                }
                String plain = text(kind, code, start, sites.get(card.siteId()), language);
                return outbox.sendConfirmation(code, mobile, plain, withReminder(kind, plain, start, language)).map(true);
            });
        }).recover(e -> {
            // the booking stands; only the notice is lost, and the card id says which
            LOG.warn("the {} notice of card {} was not queued: {}", kind, card.cardId(), e.toString());
            return Future.succeededFuture(false);
        });
    }

    /** The confirmation with the reminder's words when it is also the booking's reminder, or null. */
    private String withReminder(Kind kind, String plain, Instant start, Words.Language language) {
        if (kind == Kind.CANCELLED || !QuietHours.remindsWithConfirmation(clock.instant(), start)) {
            return null;
        }
        return plain + (language == Words.Language.EN ? " " : "") + Words.SMS_REMINDER_INCLUDED.text(language, (String) null);
    }

    /** The message: Words in the resident's language, with the day and time in Japan and the site's name. */
    public String text(Kind kind, String code, Instant start, Site site, Words.Language language) {
        String siteName = site == null ? "" : language == Words.Language.EN ? site.nameEn() : site.nameJa();
        String when = Words.when(start, language);
        return kind.words.filled(language, callCenter, Map.of("when", when, "site", siteName, "code", code));
    }

    /** 080-****-3084 for a Japanese mobile number, +44 ****** 1234 for another; null for none. */
    public static String masked(String e164) {
        if (e164 == null || e164.length() < 8) {
            return null;
        }
        String last = e164.substring(e164.length() - 4);
        if (e164.startsWith("+81") && e164.length() == 13) {
            return "0" + e164.substring(3, 5) + "-****-" + last;
        }
        return e164.substring(0, 3) + " " + "*".repeat(e164.length() - 7) + " " + last;
    }
}
