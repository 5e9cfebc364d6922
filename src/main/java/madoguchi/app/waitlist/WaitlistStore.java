package madoguchi.app.waitlist;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;
import madoguchi.domain.Channel;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The waitlist entries: residents waiting for an earlier date at their site, in the order they asked. */
public interface WaitlistStore {

    /** One entry; the offer fields are set while (and after) a seat was offered. */
    record Entry(long id, long cardId, String noticeNumber, String siteId, LocalDate from, LocalDate to, Channel channel,
                 String state, Instant createdAt, String createdBy, UUID holdId, Long slotId, Instant expiresAt,
                 Instant offeredAt) {
    }

    /**
     * Puts the card on the list, or gives its waiting entry the new range (keeping its place);
     * an entry with a live offer is returned unchanged. A staff action's {@code audit} (else null)
     * is written in the same transaction, when the list changed.
     */
    Future<Entry> join(long cardId, String siteId, LocalDate from, LocalDate to, Channel channel, Instant at, String by,
                       AuditEntry audit);

    /** The card's waiting or offered entry. */
    Future<Optional<Entry>> activeOf(long cardId);

    /** The card's newest entry in any state. */
    Future<Optional<Entry>> latestOf(long cardId);

    /** How many waiting entries of the site come before this one. */
    Future<Integer> ahead(Entry entry);

    /**
     * Ends the card's active entry ('cancelled'); the entry as it was, if there was one. A staff
     * action's {@code audit} (else null) is written in the same transaction, when an entry ended.
     */
    Future<Optional<Entry>> leave(long cardId, Instant at, AuditEntry audit);

    /** Waiting entries whose range has passed are ended ('expired'); how many. */
    Future<Integer> endPassed(LocalDate today, Instant at);

    /** Waiting entries of every site, oldest first. */
    Future<List<Entry>> waiting(int limit);

    /** Offers whose time is up. */
    Future<List<Entry>> dueOffers(Instant now);

    /** A waiting entry gets the held seat; false when it was no longer waiting. */
    Future<Boolean> offered(long id, UUID holdId, long slotId, Instant expiresAt, Instant at);

    Future<Void> smsQueued(long id, long smsId);

    /** offered → expired; false when it was not offered any more. */
    Future<Boolean> expire(long id, Instant at);

    /** offered → accepted; false when it was not offered any more. */
    Future<Boolean> accepted(long id, Instant at);

    /** Ends an entry for good (its card can no longer be booked). */
    Future<Void> cancel(long id, Instant at);

    /** The site's waiting and offered entries, in order. */
    Future<List<Entry>> ofSite(String siteId, int limit);

    /** The live offer to a card whose phone number (E.164) is {@code phone}. */
    Future<Optional<Entry>> offeredTo(String phone);
}
