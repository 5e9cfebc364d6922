package madoguchi;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import madoguchi.app.DatabaseHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Every periodic job of the running service, each with its period and why it runs. A job that
 * fails is logged and runs again at its next turn. (The allocator's shards keep their own timers
 * for expired holds and refreshes: they run on each shard's thread.)
 */
final class Jobs {
    // the lines keep the logger they were written with before the wiring was split
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Jobs() {
    }

    static void start(Vertx vertx, MeterRegistry registry, Wiring.Stores stores, Wiring.Seats seats, Wiring.UseCases uses) {
        // new days enter the booking horizon at midnight; checking hourly keeps it full after any restart
        every(vertx, Duration.ofHours(1), "could not materialise slots", seats.calendar()::materialize);
        // sites an administrator added on another instance: announced at once (ChangeFollower); this is the safety net
        every(vertx, Duration.ofSeconds(30), "could not read the sites again", seats.sites()::reload);
        if (uses.texts().sending()) {
            // messages the provider did not take yet; without a provider they wait for one
            every(vertx, Duration.ofSeconds(30), "SMS outbox retry failed", uses.texts().outbox()::retryDue);
        }
        // offers for holds that expired and capacity that was added (a freed seat starts a pass at once)
        every(vertx, Duration.ofSeconds(15), "waitlist pass failed", uses.residents().waitlist()::tick);
        // console sessions past their idle or absolute limit (they are refused already; this deletes them)
        every(vertx, Duration.ofMinutes(10), "could not purge console sessions", uses.console().sessions()::purgeExpired);
        if (uses.texts().sending()) {
            // the day-before reminders, only with a provider so that none is sent late; then the calls
            // due now and those to try again (placeDue does nothing without a provider)
            vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), id -> uses.phone().reminders().runDue()
                    .onFailure(e -> LOG.warn("reminders could not be sent: {}", e.toString()))
                    .eventually(() -> uses.phone().reminderCalls().placeDue()
                            .onFailure(e -> LOG.warn("reminder calls could not be placed: {}", e.toString()))));
        }
        // every 5 s, as madoguchi_database_up, so an alert fires even when no one is booking
        DatabaseHealth.watch(vertx, stores.probe(), registry);
        // this instance's failed verifications added to every instance's, and theirs read (VerificationBrake.SYNC)
        every(vertx, madoguchi.app.verification.VerificationBrake.SYNC, "could not sync the verification brake",
                uses.limits().brake()::sync);
        if (uses.limits().shared() != null) {
            // the counts written in batches (the per-card change limit) and the locks of every instance read
            every(vertx, madoguchi.store.PgAttempts.SYNC, "could not sync the shared limits", uses.limits().shared()::sync);
            // windows of the shared limits that ended: the longest is a day, so the table stays the size of a day's attempts
            every(vertx, Duration.ofMinutes(10), "could not purge ended limit windows", uses.limits().shared()::purge);
        }
        // a booking whose slot ended without the card being handed over becomes a no-show
        every(vertx, Duration.ofSeconds(60), "no-show sweep failed", uses.staff().lifecycle()::sweepNoShows);
        every(vertx, Duration.ofHours(1), "could not forget old phone steps", uses.phone().line()::forgetOldSteps);
    }

    private static void every(Vertx vertx, Duration period, String failure, Supplier<Future<?>> job) {
        vertx.setPeriodic(period.toMillis(), id -> job.get().onFailure(e -> LOG.warn("{}: {}", failure, e.toString())));
    }
}
