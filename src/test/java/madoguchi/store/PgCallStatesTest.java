package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.Config;
import madoguchi.app.calls.CallState;
import madoguchi.app.calls.CallStates;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls' steps kept in PostgreSQL through the group commit: many saves at once each become durable
 * with their own answer, the first answer kept for a step wins (within a batch and across
 * instances), and a step is claimed once.
 */
class PgCallStatesTest {
    private static final Instant AT = Instant.parse("2026-12-01T01:00:00Z");
    private static Vertx vertx;
    private static Config.DatabaseUrl db;
    private static Pool pool;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
        Database database = new Database(db, null);
        database.migrate();
        pool = database.pool(vertx, 4);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static CallState state(String sid, int seq, String awaiting) {
        return new CallState(sid, "+819012345678", "ja", 0, seq, awaiting, Map.of("notice", "2100000001"), null, null, null,
                -1, null, null, null, null, null, false, AT);
    }

    @Test
    void manySavesAtOnceAreEachKeptWithTheirOwnAnswer() throws Exception {
        CallStates states = new PgCallStates(pool);
        List<Future<String>> saved = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            saved.add(states.save(state("CAmany" + i, 1, "menu"), 1, "<Response>" + i + "</Response>", AT));
        }
        for (int i = 0; i < 300; i++) {
            assertEquals("<Response>" + i + "</Response>", await(saved.get(i)));
        }
        for (int i : new int[]{0, 150, 299}) {
            CallStates.Saved kept = await(states.load("CAmany" + i)).orElseThrow();
            assertEquals("menu", kept.state().awaiting());
            assertEquals(Map.of(1, "<Response>" + i + "</Response>"), kept.answers());
        }
    }

    @Test
    void theFirstAnswerKeptForAStepWinsInOneBatchAndAcrossInstances() throws Exception {
        CallStates one = new PgCallStates(pool);
        CallStates other = new PgCallStates(pool);
        // the same step twice in one batch (two views of one call), then from another instance
        Future<String> first = one.save(state("CAfirst", 2, "notice"), 2, "<Response>first</Response>", AT);
        Future<String> second = one.save(state("CAfirst", 2, "birth"), 2, "<Response>second</Response>", AT);
        assertEquals("<Response>first</Response>", await(first));
        assertEquals("<Response>first</Response>", await(second));
        assertEquals("<Response>first</Response>", await(other.save(state("CAfirst", 2, "birth"), 2, "<Response>third</Response>", AT)));
        CallStates.Saved kept = await(other.load("CAfirst")).orElseThrow();
        assertEquals("notice", kept.state().awaiting(), "the state written is the one that came with the kept answer");
    }

    @Test
    void aStepIsClaimedOnceAndItsAnswerFillsTheClaim() throws Exception {
        CallStates a = new PgCallStates(pool);
        CallStates b = new PgCallStates(pool);
        await(a.save(state("CAclaim", 4, "birth"), 3, "<Response>birth?</Response>", AT));
        Future<Boolean> claimA = a.claim("CAclaim", 4, AT);
        Future<Boolean> claimA2 = a.claim("CAclaim", 4, AT);
        assertTrue(await(claimA), "the first claim makes the step's record");
        assertFalse(await(claimA2), "the same step claimed again in the same batch is not this answer's to act on");
        assertFalse(await(b.claim("CAclaim", 4, AT)), "another instance's claim of the same step loses");
        assertEquals(Optional.empty(), await(b.answer("CAclaim", 4)), "claimed, not answered yet");
        assertEquals(Map.of(3, "<Response>birth?</Response>"), await(b.load("CAclaim")).orElseThrow().answers(),
                "a claim without an answer is no answer");

        assertEquals("<Response>offer</Response>", await(a.save(state("CAclaim", 5, "offer"), 4, "<Response>offer</Response>", AT)));
        assertEquals(Optional.of("<Response>offer</Response>"), await(b.answer("CAclaim", 4)));
        assertEquals(5, await(b.load("CAclaim")).orElseThrow().state().seq());
        assertFalse(await(b.claim("CAclaim", 4, AT)), "an answered step is not claimed again");
    }

    @Test
    void aCallbackOutcomeIsKeptInTheRecordAndInTheState() throws Exception {
        CallStates states = new PgCallStates(pool);
        await(states.save(state("CAcallback", 3, "menu"), 2, "<Response/>", AT));
        await(states.outcome("CAcallback", "callback"));
        assertEquals("callback", await(states.load("CAcallback")).orElseThrow().state().outcome());
    }
}
