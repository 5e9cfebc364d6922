package madoguchi.app.sms;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import madoguchi.app.fakes.MemoryOutbox;
import madoguchi.domain.QuietHours;
import madoguchi.domain.TextKind;
import madoguchi.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static madoguchi.app.fakes.OneSite.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the outbox sends between 21:00 and 08:00 Tokyo, by kind of message, against an outbox kept in
 * memory: what the resident just asked for (a booking's confirmation, a call to the counter they wait
 * at) goes at once; a reminder, a waitlist offer and a booking the city cancelled wait for 08:00,
 * neither sent before nor lost; retries follow the same rule.
 */
class SmsOutboxAtNightTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 2);
    private static final String PHONE = "+819012345678";

    private final MutableClock clock = new MutableClock(at(DAY, "23:00"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MemoryOutbox store = new MemoryOutbox(clock);
    private final SmsOutbox outbox = new SmsOutbox(store, store.provider(), clock, registry);

    private static Instant at(LocalDate day, String time) {
        return day.atTime(LocalTime.parse(time)).atZone(TOKYO).toInstant();
    }

    @Test
    void whatTheResidentJustAskedForGoesAtOnceAtNight() {
        assertTrue(await(outbox.send(TextKind.CONFIRMATION, PHONE, "予約番号 1234567890")), "a booking's confirmation");
        assertTrue(await(outbox.send(TextKind.COUNTER_CALL, PHONE, "3番窓口へ")), "the counter the resident waits at");
        assertTrue(await(outbox.sendConfirmation("1234567890", PHONE, "plain", "with its reminder")));
        assertEquals(List.of(at(DAY, "23:00"), at(DAY, "23:00"), at(DAY, "23:00")), store.sent.stream().map(MemoryOutbox.Sent::at).toList());
        assertEquals(0.0, held(), "nothing kept for the morning");
    }

    @Test
    void whatTheCitySendsOfItsOwnAccordWaitsFor08AndIsNotLost() {
        for (TextKind kind : List.of(TextKind.REMINDER, TextKind.WAITLIST_OFFER, TextKind.CITY_CANCELLED)) {
            SmsOutbox.Kept kept = await(outbox.sendAndTell(kind, PHONE, kind.id()));
            assertFalse(kept.sent(), kind + " is not sent at 23:00");
            assertEquals(at(DAY.plusDays(1), "08:00"), store.rows.get(kept.id()).next, kind + " is due at 08:00");
        }
        assertEquals(List.of(), store.sent);
        assertEquals(3.0, held());
        assertEquals(1.0, registry.get("madoguchi.sms.held").tag("kind", "waitlist_offer").counter().count());

        // the periodic retry all night long sends none of them, and counts them as waiting
        for (Instant t = at(DAY, "23:00"); t.isBefore(at(DAY.plusDays(1), "08:00")); t = t.plus(Duration.ofMinutes(30))) {
            clock.set(t);
            assertEquals(0, await(outbox.retryDue()), "nothing sent at " + t);
        }
        clock.set(at(DAY.plusDays(1), "07:59:59"));
        assertEquals(0, await(outbox.retryDue()));
        assertEquals(3.0, waiting(), "the outbox shows three texts waiting for the morning");

        clock.set(at(DAY.plusDays(1), "08:00"));
        assertEquals(3, await(outbox.retryDue()), "all three at 08:00");
        assertEquals(List.of("reminder", "waitlist_offer", "city_cancelled"), store.sent.stream().map(MemoryOutbox.Sent::body).toList());
        assertTrue(store.sent.stream().allMatch(s -> s.at().equals(at(DAY.plusDays(1), "08:00"))));
        assertEquals(0.0, waiting());
        assertEquals(0, await(outbox.retryDue()), "and never twice");
    }

    @Test
    void aCancellationTheCityWroteInItsOwnStatementIsPutOffByTheOutbox() {
        // a closure at 22:10 keeps the message due at once; the outbox, not the closure, says when it goes
        clock.set(at(DAY, "22:10"));
        long id = store.putDue(TextKind.CITY_CANCELLED, PHONE, "取り消されました");
        assertEquals(0, await(outbox.retryDue()));
        assertEquals(at(DAY.plusDays(1), "08:00"), store.rows.get(id).next);
        assertEquals(1.0, waiting());
        clock.set(at(DAY.plusDays(1), "08:00:30"));
        assertEquals(1, await(outbox.retryDue()));
        assertEquals(at(DAY.plusDays(1), "08:00:30"), store.sent.get(0).at());
    }

    @Test
    void inTheDaytimeEveryKindGoesAtOnce() {
        clock.set(at(DAY, "08:00"));
        for (TextKind kind : TextKind.values()) {
            assertTrue(await(outbox.send(kind, PHONE, kind.id())), kind.toString());
        }
        clock.set(at(DAY, "20:59:59"));
        long id = store.putDue(TextKind.CITY_CANCELLED, PHONE, "late");
        assertEquals(1, await(outbox.retryDue()));
        assertTrue(store.rows.get(id).sent != null);
        assertEquals(TextKind.values().length + 1, store.sent.size());
        assertEquals(0.0, held());
    }

    @Test
    void aConfirmationStillFailingLongAfterItWasAskedForWaitsForTheMorning() {
        // asked for at 22:30: the provider fails, the retry 30 s later still goes (the resident waits for it)
        clock.set(at(DAY, "22:30"));
        store.failNext(1);
        assertFalse(await(outbox.send(TextKind.CONFIRMATION, PHONE, "code")));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(1, await(outbox.retryDue()));
        assertEquals(at(DAY, "22:30:31"), store.sent.get(0).at());

        // asked for at 20:00, failing until the night: after JUST_ASKED it waits for 08:00
        clock.set(at(DAY, "20:00"));
        store.failNext(100);
        assertFalse(await(outbox.send(TextKind.CONFIRMATION, PHONE, "evening")));
        Instant t = at(DAY, "20:00");
        while (t.isBefore(at(DAY, "20:00").plus(QuietHours.JUST_ASKED))) {
            t = t.plus(Duration.ofMinutes(1));
            clock.set(t);
            await(outbox.retryDue());
        }
        MemoryOutbox.Row row = store.rows.values().stream().filter(r -> r.body.equals("evening")).findFirst().orElseThrow();
        store.failNext(0);
        clock.set(at(DAY, "21:05"));
        assertEquals(0, await(outbox.retryDue()), "at 21:05 the 20:00 confirmation no longer goes");
        assertEquals(at(DAY.plusDays(1), "08:00"), row.next);
        clock.set(at(DAY.plusDays(1), "08:00"));
        assertEquals(1, await(outbox.retryDue()));
        assertTrue(row.sent != null);
    }

    @Test
    void aClockThatMovesOnBetweenReadsStillSaysDaytimeIsDaytime() {
        // every read of this clock is a millisecond later, as a real clock may be
        java.time.Clock ticking = new java.time.Clock() {
            private Instant now = at(DAY, "10:00");

            @Override
            public synchronized Instant instant() {
                now = now.plusMillis(1);
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        SmsOutbox daytime = new SmsOutbox(store, store.provider(), ticking, new SimpleMeterRegistry());
        for (TextKind kind : TextKind.values()) {
            assertTrue(daytime.goesNow(kind), kind + " goes at 10:00");
        }
        assertFalse(outbox.goesNow(TextKind.WAITLIST_OFFER), "not at 23:00");
        assertTrue(outbox.goesNow(TextKind.CONFIRMATION));
        assertEquals(at(DAY.plusDays(1), "08:00"), outbox.sendsAt(TextKind.CITY_CANCELLED));
    }

    @Test
    void theRuleItself() {
        Instant night = at(DAY, "21:00");
        Instant morning = at(DAY.plusDays(1), "08:00");
        assertEquals(night, QuietHours.sendAt(TextKind.CONFIRMATION, night, night));
        assertEquals(morning, QuietHours.sendAt(TextKind.CONFIRMATION, night.minus(QuietHours.JUST_ASKED), night));
        assertEquals(morning, QuietHours.sendAt(TextKind.WAITLIST_OFFER, night, night));
        assertEquals(morning, QuietHours.sendAt(TextKind.REMINDER, at(DAY.plusDays(1), "07:59:59"), at(DAY.plusDays(1), "07:59:59")));
        assertEquals(morning, QuietHours.sendAt(TextKind.CITY_CANCELLED, morning, morning));
        Instant evening = at(DAY, "20:59:59");
        assertEquals(evening, QuietHours.sendAt(TextKind.CITY_CANCELLED, evening, evening));
        assertEquals(TextKind.CONFIRMATION, TextKind.of("something new"), "an unknown kind is held to the strictest asked-for rule");
    }

    private double held() {
        return registry.get("madoguchi.sms.held").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double waiting() {
        return registry.get("madoguchi.sms.waiting.for.morning").gauge().value();
    }
}
