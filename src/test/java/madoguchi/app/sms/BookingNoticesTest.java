package madoguchi.app.sms;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import madoguchi.app.Words;
import madoguchi.app.booking.CardRef;
import madoguchi.app.fakes.OneSite;
import madoguchi.domain.Decision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static madoguchi.app.fakes.OneSite.FIRST_SLOT;
import static madoguchi.app.fakes.OneSite.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMS notices of web bookings: to the card's mobile number, unless the resident unticked the box; the choice is kept. */
class BookingNoticesTest {
    private final OneSite site = new OneSite(10);
    private final Sent sent = new Sent();
    private final Outbox outbox = new Outbox();
    private final Choices choices = new Choices();
    private final BookingNotices notices = new BookingNotices(site.cards, choices, site.sites,
            new SmsOutbox(outbox, sent, site.clock, new SimpleMeterRegistry()), site.clock, "0120-000-000");

    @AfterEach
    void close() {
        site.close();
    }

    @Test
    void aWebBookingIsConfirmedToTheCardsMobileInThePagesLanguage() {
        CardRef card = site.card(1, "080-0019-3084");
        var made = (Decision.BookingMade) await(site.changes.book(card, FIRST_SLOT, madoguchi.domain.Channel.WEB, null)).decision();
        Instant start = site.allocator.slot(FIRST_SLOT).start();

        assertTrue(await(notices.tell(card, BookingNotices.Kind.BOOKED, made.booking().code(), start, null, Words.Language.JA)));
        assertEquals(1, sent.messages.size());
        assertEquals("+818000193084", sent.messages.get(0).to(), "the number as SMS needs it (E.164)");
        assertEquals("【川崎市】マイナンバーカード受取のご予約を承りました: 12月3日(木) 10:00 メモリー。予約番号 " + made.booking().code()
                + "。変更・取消はウェブかコールセンター（0120-000-000）へ。", sent.messages.get(0).body());
        assertEquals(1, outbox.rows.size(), "kept in the outbox (retried from there when the provider fails)");

        assertTrue(await(notices.tell(card, BookingNotices.Kind.MOVED, made.booking().code(), start, null, Words.Language.EN)));
        assertEquals("[Kawasaki City] Your My Number Card pick-up was moved to Thu 3 Dec 10:00 (Japan time) at Memory. Booking code "
                + made.booking().code() + " (unchanged).", sent.messages.get(1).body());
    }

    @Test
    void aBookingMadeAtNightForTomorrowIsConfirmedWithItsReminderAndACancellationIsNot() {
        CardRef card = site.card(6, "080-0019-3085");
        Instant start = site.allocator.slot(FIRST_SLOT).start();
        java.time.ZoneId tokyo = java.time.ZoneId.of("Asia/Tokyo");
        site.clock.set(java.time.LocalDate.of(2026, 12, 2).atTime(22, 30).atZone(tokyo).toInstant());

        assertTrue(await(notices.tell(card, BookingNotices.Kind.BOOKED, "2033674467", start, null, Words.Language.JA)));
        assertTrue(await(notices.tell(card, BookingNotices.Kind.MOVED, "2033674467", start, null, Words.Language.EN)));
        assertTrue(await(notices.tell(card, BookingNotices.Kind.CANCELLED, "2033674467", start, null, Words.Language.JA)));
        assertTrue(sent.messages.get(0).body().endsWith("へ。明日のご予約です。このメッセージがリマインダーを兼ねます（別途のお知らせはありません）。"),
                sent.messages.get(0).body());
        assertTrue(sent.messages.get(1).body().endsWith("(unchanged). That is tomorrow: this message is also your reminder (no other will follow)."),
                sent.messages.get(1).body());
        assertFalse(sent.messages.get(2).body().contains("明日"), "a cancellation reminds of nothing");

        site.clock.set(java.time.LocalDate.of(2026, 12, 2).atTime(20, 59).atZone(tokyo).toInstant());
        assertTrue(await(notices.tell(card, BookingNotices.Kind.BOOKED, "2033674467", start, null, Words.Language.JA)));
        assertFalse(sent.messages.get(3).body().contains("リマインダー"), "before 21:00 the reminder job sends its own at once");
    }

    @Test
    void anUntickedBoxSendsNothingNowAndIsKeptForTheCancellation() {
        CardRef card = site.card(2, "+819012345678");
        Instant start = site.allocator.slot(FIRST_SLOT).start();
        assertEquals(new BookingNotices.Contact("090-****-5678", true), await(notices.contact(2)), "ticked by default");

        await(notices.keep(card, false));
        assertFalse(await(notices.tell(card, BookingNotices.Kind.BOOKED, "2033674467", start, false, Words.Language.JA)));
        assertEquals(new BookingNotices.Contact("090-****-5678", false), await(notices.contact(2)), "the choice is kept");
        assertFalse(await(notices.tell(card, BookingNotices.Kind.CANCELLED, "2033674467", start, null, Words.Language.JA)),
                "a cancellation carries no choice: the kept one holds");
        assertTrue(sent.messages.isEmpty());

        await(notices.keep(card, true));
        assertTrue(await(notices.tell(card, BookingNotices.Kind.BOOKED, "2033674467", start, true, Words.Language.JA)),
                "ticked again on the next booking");
        assertTrue(await(notices.tell(card, BookingNotices.Kind.CANCELLED, "2033674467", start, null, Words.Language.JA)));
        assertTrue(sent.messages.get(1).body().startsWith("【川崎市】マイナンバーカード受取のご予約（予約番号 2033674467、12月3日(木) 10:00 メモリー）を取り消しました。"));
    }

    @Test
    void noMobileNumberNoMessageAndNothingToShow() {
        Instant start = site.allocator.slot(FIRST_SLOT).start();
        CardRef landline = site.card(3, "044-200-2111");
        CardRef none = site.card(4);
        assertFalse(await(notices.tell(landline, BookingNotices.Kind.BOOKED, "1", start, true, Words.Language.JA)));
        assertFalse(await(notices.tell(none, BookingNotices.Kind.BOOKED, "1", start, null, Words.Language.JA)));
        assertTrue(sent.messages.isEmpty());
        assertNull(await(notices.contact(3)).maskedMobile());
        assertFalse(await(notices.contact(4)).sms());
    }

    @Test
    void aCardWithoutAMobileNumberCostsOneReadNotTwo() {
        // most cards of a surge: the card is read, and the kept choice is not asked for (one round trip per booking less)
        Instant start = site.allocator.slot(FIRST_SLOT).start();
        assertFalse(await(notices.tell(site.card(5), BookingNotices.Kind.BOOKED, "1", start, null, Words.Language.JA)));
        assertEquals(0, choices.reads.get());
        assertTrue(await(notices.tell(site.card(6, "080-0019-3084"), BookingNotices.Kind.BOOKED, "1", start, null, Words.Language.JA)));
        assertEquals(1, choices.reads.get());
    }

    @Test
    void aNoticeThatCannotBeQueuedNeverFailsTheBooking() {
        CardRef card = site.card(5, "08000193084");
        choices.broken = true;
        await(notices.keep(card, true)); // not kept, and no failure
        assertFalse(await(notices.tell(card, BookingNotices.Kind.BOOKED, "1", site.allocator.slot(FIRST_SLOT).start(), null,
                Words.Language.JA)), "the kept choice could not be read: no message, and no failure");
    }

    @Test
    void masksShowOnlyTheEnds() {
        assertEquals("080-****-3084", BookingNotices.masked("+818000193084"));
        assertEquals("+44 ****** 1234", BookingNotices.masked("+447700901234"));
        assertNull(BookingNotices.masked(null));
    }

    record Message(String to, String body) {
    }

    static final class Sent implements TextMessages {
        final List<Message> messages = new CopyOnWriteArrayList<>();

        @Override
        public Future<String> send(String toPhone, String body) {
            messages.add(new Message(toPhone, body));
            return Future.succeededFuture("SM" + messages.size());
        }
    }

    static final class Outbox implements SmsOutboxStore {
        final Map<Long, String> rows = new ConcurrentHashMap<>();
        final AtomicLong ids = new AtomicLong();

        @Override
        public Future<Long> add(madoguchi.domain.TextKind kind, String phone, String body, Instant at, Instant firstAttempt) {
            long id = ids.incrementAndGet();
            rows.put(id, body);
            return Future.succeededFuture(id);
        }

        @Override
        public Future<Pending> addWithReminder(String code, String phone, String plain, String withReminder, Instant at) {
            long id = ids.incrementAndGet();
            rows.put(id, withReminder);
            return Future.succeededFuture(new Pending(id, phone, withReminder, 0, madoguchi.domain.TextKind.CONFIRMATION, at));
        }

        @Override
        public Future<Void> sent(long id, String providerId, Instant at) {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> failed(long id, String error, Instant nextAttempt) {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> putOff(long id, Instant until) {
            return Future.succeededFuture();
        }

        @Override
        public Future<List<Pending>> claimDue(Instant now, Instant leaseUntil, int limit) {
            return Future.succeededFuture(List.of());
        }

        @Override
        public Future<Integer> waitingFor(Instant at) {
            return Future.succeededFuture(0);
        }
    }

    static final class Choices implements NoticeChoices {
        final Map<Long, Boolean> kept = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean broken;

        @Override
        public Future<Optional<Boolean>> sms(long cardId) {
            reads.incrementAndGet();
            return broken ? Future.failedFuture(new IllegalStateException("database away")) : Future.succeededFuture(Optional.ofNullable(kept.get(cardId)));
        }

        @Override
        public Future<Void> setSms(long cardId, boolean wanted, Instant at) {
            if (broken) {
                return Future.failedFuture(new IllegalStateException("database away"));
            }
            kept.put(cardId, wanted);
            return Future.succeededFuture();
        }
    }
}
