package madoguchi.app.counter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.app.cards.CardLifecycle;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.StaffActions;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.CounterStep;
import madoguchi.domain.PickUpNeeds;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The counter's day at a site: the list of the day's bookings and tickets, and the steps of each
 * resident's visit up to the hand-over. Every step is a staff action: written with its audit row
 * in one transaction, or not at all ({@link madoguchi.app.staff.NotRecorded}).
 */
public final class CounterDesk {
    private final CounterStore store;
    private final CardLifecycle lifecycle;
    private final Clock clock;
    private final MeterRegistry registry;

    public CounterDesk(CounterStore store, CardLifecycle lifecycle, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.registry = registry;
    }

    /** Every booking (and walk-in ticket) of the site on the day, by time. */
    public Future<List<CounterStore.DayLine>> day(String siteId, LocalDate day) {
        return store.day(siteId, day, start(day), start(day.plusDays(1)));
    }

    /** Cards handed over per site and day, and the counter-hours it took (the reports' counter throughput). */
    public Future<List<CounterStore.Throughput>> throughput(LocalDate from, LocalDate to) {
        return store.throughput(from, to);
    }

    /** Takes a step of the card's visit today. */
    public Future<CounterStore.StepResult> step(Principal who, String noticeNumber, CounterStore.StepInput input) {
        if (input.step() == CounterStep.IDENTITY_CHECKED && (input.identity() == null || !input.identity().enough())) {
            return Future.succeededFuture(new CounterStore.StepRefused("identity_insufficient"));
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, BookingWindow.TOKYO);
        return StaffActions.recorded(store.step(noticeNumber, today, start(today), start(today.plusDays(1)), input, who.name(), now,
                done -> StaffActions.entry(who, "counter." + done.step().wire(), "card:" + noticeNumber, null, visit(done), null)))
                .compose(result -> {
                    if (result instanceof CounterStore.StepDone done && done.step() == CounterStep.ISSUED) {
                        Counter.builder("madoguchi.counter.issued").description("Cards handed over at the counter")
                                .tag("site", done.siteId()).register(registry).increment();
                        if (done.bookingCode() != null) {
                            // the allocator forgets the card's booking so that the card could book again
                            return lifecycle.handedOver(done.siteId(), done.cardId(), done.bookingCode()).map(result);
                        }
                    }
                    return Future.succeededFuture(result);
                });
    }

    /** What the card's resident needs at the counter; empty when there is no such card. */
    public Future<Optional<PickUpNeeds>> needs(String noticeNumber) {
        return store.needs(noticeNumber);
    }

    /** Staff keep what the resident needs (audited); false when there is no such card. */
    public Future<Boolean> setNeeds(Principal who, String noticeNumber, PickUpNeeds needs) {
        return StaffActions.recorded(store.setNeeds(noticeNumber, needs, who.name(), clock.instant(),
                StaffActions.entry(who, "card.needs", "card:" + noticeNumber, null, json(needs), null)));
    }

    /** The resident tells what they need (their own change, not a staff action). */
    public Future<Boolean> setNeedsByResident(String noticeNumber, PickUpNeeds needs) {
        return store.setNeeds(noticeNumber, needs, "resident", clock.instant(), null);
    }

    /** Needs as the API and the audit trail show them. */
    public static JsonObject json(PickUpNeeds n) {
        return new JsonObject().put("wheelchair", n.wheelchair()).put("signLanguage", n.signLanguage())
                .put("interpreter", n.interpreter()).put("hearingLoop", n.hearingLoop()).put("other", n.other())
                .put("proxy", n.proxy()).put("proxyDocuments", new JsonArray(n.proxyDocuments()));
    }

    private static JsonObject visit(CounterStore.StepDone done) {
        CounterStore.Visit v = done.visit();
        JsonObject out = new JsonObject().put("step", done.step().wire()).put("siteId", done.siteId()).put("counter", v.counter());
        if (done.bookingCode() != null) {
            out.put("code", done.bookingCode());
        }
        if (done.ticket() != null) {
            out.put("ticket", done.ticket());
        }
        switch (done.step()) {
            case IDENTITY_CHECKED -> out.put("documents", new JsonArray(v.documents())).put("byProxy", v.byProxy());
            case PINS -> out.put("pins", v.pins()).put("pinsReason", v.pinsReason());
            case RETURNED -> out.put("returned", new JsonArray(v.returned()));
            default -> { }
        }
        return out;
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(BookingWindow.TOKYO).toInstant();
    }
}
