package madoguchi.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Asks the database every few seconds whether it answers and publishes the answer as
 * {@code madoguchi_database_up} (1 or 0), so an alert fires even when no one is booking.
 */
public final class DatabaseHealth {
    static final Duration EVERY = Duration.ofSeconds(5);

    private volatile int up = 1;

    private DatabaseHealth() {
    }

    public static DatabaseHealth watch(Vertx vertx, DatabaseProbe probe, MeterRegistry registry) {
        DatabaseHealth health = new DatabaseHealth();
        Gauge.builder("madoguchi.database.up", health, h -> h.up)
                .description("1 when the last probe of the database (every 5 s) succeeded, else 0").register(registry);
        vertx.setPeriodic(EVERY.toMillis(), id -> probe.ping().onComplete(ar -> health.up = ar.succeeded() ? 1 : 0));
        return health;
    }

    public boolean up() {
        return up == 1;
    }
}
