package madoguchi.telephony;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.Config;
import madoguchi.app.sms.SmsOutbox;
import madoguchi.store.Database;
import madoguchi.store.PgSmsOutboxStore;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMS through twilio-java to a local fake of Twilio's REST API: a failed send is kept in the
 * outbox and sent on a later retry; nothing is lost and nothing is sent twice.
 */
class SmsOutboxTest {
    private static Config.DatabaseUrl db;
    private static Database database;
    private static Vertx vertx;
    private static Pool pool;
    private static FakeTwilioApi api;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.fresh();
        database = Database.open(Config.fromEnvironment(Map.of("DATABASE_URL", TestDatabase.url(db))));
        database.migrate();
        vertx = Vertx.vertx();
        pool = database.pool(vertx, 2);
        api = new FakeTwilioApi();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        database.close();
    }

    @Test
    void aFailedSmsIsKeptAndSentOnTheNextRetry() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TwilioMessages twilio = new TwilioMessages(vertx, "ACsms", "secret-token", "+81445550000", URI.create(api.baseUrl()));
        SmsOutbox outbox = new SmsOutbox(new PgSmsOutboxStore(pool), twilio, clock, registry);

        api.failNext(1);
        assertEquals(false, outbox.send(madoguchi.domain.TextKind.CONFIRMATION, "+819012345678", "予約番号 1234567890").await(20, TimeUnit.SECONDS));
        assertEquals(0, api.sent().size());
        assertEquals(1.0, registry.get("madoguchi.sms.failed").counter().count());
        assertEquals(0, outbox.retryDue().await(10, TimeUnit.SECONDS), "not due yet");

        clock.advance(Duration.ofSeconds(31));
        assertEquals(1, outbox.retryDue().await(20, TimeUnit.SECONDS));
        assertEquals(1, api.sent().size());
        FakeTwilioApi.Sent sent = api.sent().get(0);
        assertEquals("+819012345678", sent.form().get("To"));
        assertEquals("+81445550000", sent.form().get("From"));
        assertEquals("予約番号 1234567890", sent.form().get("Body"));
        assertEquals("ACsms", sent.authUser());
        assertEquals(1.0, registry.get("madoguchi.sms.sent").counter().count());

        clock.advance(Duration.ofHours(1));
        assertEquals(0, outbox.retryDue().await(10, TimeUnit.SECONDS), "a sent message is not sent again");
        try (Connection c = TestDatabase.connect(db); ResultSet r = c.createStatement()
                .executeQuery("SELECT attempts, provider_id, sent_at IS NOT NULL FROM sms_outbox")) {
            assertTrue(r.next());
            assertEquals(2, r.getInt(1));
            assertTrue(r.getString(2).startsWith("SM"));
            assertTrue(r.getBoolean(3));
        }
    }

    @Test
    void providerErrorsAreKeptWithoutTheNumber() {
        assertEquals("The 'To' number [number] is not a valid phone number.",
                SmsOutbox.withoutNumbers("The 'To' number +819012345678 is not a valid phone number."));
        assertEquals("HTTP 500 from provider", SmsOutbox.withoutNumbers("HTTP 500 from provider"));
    }
}
