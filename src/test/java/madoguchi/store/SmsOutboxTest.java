package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.SmsDelivery;
import madoguchi.app.TextMessages;
import madoguchi.support.MutableClock;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The outbox of SMS to displaced residents against a real PostgreSQL: a failed send is kept and
 * tried again after its back-off, a successful one is marked sent and never sent again.
 */
class SmsOutboxTest {

    @Test
    void aFailedSendIsKeptAndRetriedUntilTheProviderTakesIt() throws Exception {
        try (TestService service = TestService.start()) {
            Pool pool = service.app.database().pool(service.app.vertx(), 2);
            MutableClock clock = new MutableClock(Instant.now());
            pool.preparedQuery("INSERT INTO displacement_sms (booking_code, phone, body, next_attempt_at) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of("1234567890", "+819000000000", "cancelled", Rows.time(clock.instant())))
                    .await(10, TimeUnit.SECONDS);
            List<String> tried = new ArrayList<>();
            boolean[] providerUp = {false};
            TextMessages provider = (to, body) -> {
                tried.add(to + " " + body);
                return providerUp[0] ? Future.succeededFuture("SM123") : Future.failedFuture(new IllegalStateException("provider down"));
            };
            SmsDelivery delivery = new SmsDelivery(new PgSmsOutbox(pool), provider, clock);

            assertEquals(0, delivery.deliverDue().await(10, TimeUnit.SECONDS));
            assertEquals(1, tried.size());
            assertEquals(1L, delivery.waiting().await(10, TimeUnit.SECONDS), "kept after the failure");
            assertEquals(0, delivery.deliverDue().await(10, TimeUnit.SECONDS));
            assertEquals(1, tried.size(), "not tried again before its back-off");

            providerUp[0] = true;
            clock.advance(Duration.ofMinutes(2));
            assertEquals(1, delivery.deliverDue().await(10, TimeUnit.SECONDS));
            assertEquals(2, tried.size());
            assertEquals(0L, delivery.waiting().await(10, TimeUnit.SECONDS));
            clock.advance(Duration.ofHours(2));
            assertEquals(0, delivery.deliverDue().await(10, TimeUnit.SECONDS));
            assertEquals(2, tried.size(), "a sent message is never sent again");
            var row = pool.query("SELECT attempts, provider_id, last_error FROM displacement_sms").execute()
                    .await(10, TimeUnit.SECONDS).iterator().next();
            assertEquals(2, row.getInteger("attempts"));
            assertEquals("SM123", row.getString("provider_id"));
            pool.close().await(10, TimeUnit.SECONDS);
        }
    }
}
