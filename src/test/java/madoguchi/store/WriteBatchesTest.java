package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group commit's logic, with a writer whose batches complete when the test says: one batch at a
 * time, what arrives meanwhile goes in the next one, every caller learns its own result.
 */
class WriteBatchesTest {

    /** A writer that records its batches and leaves each one pending until the test completes it. */
    private static final class HeldWriter implements WriteBatches.Writer<String, String> {
        final List<List<String>> batches = new ArrayList<>();
        final List<Promise<List<String>>> pending = new ArrayList<>();

        @Override
        public Future<List<String>> write(List<String> batch) {
            batches.add(List.copyOf(batch));
            Promise<List<String>> p = Promise.promise();
            pending.add(p);
            return p.future();
        }

        void answer(int batch) {
            List<String> out = new ArrayList<>();
            for (String item : batches.get(batch)) {
                out.add("kept " + item);
            }
            pending.get(batch).complete(out);
        }
    }

    @Test
    void whatArrivesWhileABatchIsWrittenGoesTogetherInTheNextOne() {
        HeldWriter writer = new HeldWriter();
        WriteBatches<String, String> batches = new WriteBatches<>(writer, 100);

        Future<String> first = batches.submit("a");
        Future<String> second = batches.submit("b");
        Future<String> third = batches.submit("c");
        Future<String> fourth = batches.submit("d");
        assertEquals(List.of(List.of("a")), writer.batches, "the first write starts at once, alone");
        assertEquals(3, batches.waiting());

        writer.answer(0);
        assertEquals("kept a", first.result());
        assertFalse(second.isComplete(), "b is written with the next batch, not before");
        assertEquals(List.of("b", "c", "d"), writer.batches.get(1), "the three that waited share one write");

        writer.answer(1);
        assertEquals("kept b", second.result());
        assertEquals("kept c", third.result());
        assertEquals("kept d", fourth.result());
        assertEquals(2, writer.batches.size());
        assertEquals(0, batches.waiting());

        // idle again: the next item is written at once
        Future<String> later = batches.submit("e");
        assertEquals(List.of("e"), writer.batches.get(2));
        writer.answer(2);
        assertEquals("kept e", later.result());
    }

    @Test
    void aBatchTakesAtMostMaxBatchItems() {
        HeldWriter writer = new HeldWriter();
        WriteBatches<String, String> batches = new WriteBatches<>(writer, 2);
        List<Future<String>> all = new ArrayList<>();
        for (String item : List.of("a", "b", "c", "d", "e")) {
            all.add(batches.submit(item));
        }
        writer.answer(0);
        assertEquals(List.of("b", "c"), writer.batches.get(1));
        writer.answer(1);
        assertEquals(List.of("d", "e"), writer.batches.get(2));
        writer.answer(2);
        for (int i = 0; i < all.size(); i++) {
            assertEquals("kept " + "abcde".charAt(i), all.get(i).result());
        }
    }

    @Test
    void aFailedBatchFailsItsCallersOnlyAndTheNextBatchIsWritten() {
        HeldWriter writer = new HeldWriter();
        WriteBatches<String, String> batches = new WriteBatches<>(writer, 100);
        Future<String> a = batches.submit("a");
        Future<String> b = batches.submit("b");
        writer.pending.get(0).fail(new IllegalStateException("database away"));
        assertTrue(a.failed());
        assertEquals("database away", a.cause().getMessage());
        assertEquals(List.of("b"), writer.batches.get(1), "the writer goes on with what waited");
        writer.answer(1);
        assertEquals("kept b", b.result());
    }

    @Test
    void aWriterThatThrowsOrAnswersTheWrongNumberOfResultsFailsTheBatch() {
        int[] calls = {0};
        WriteBatches<String, String> throwing = new WriteBatches<>(batch -> {
            calls[0]++;
            if (calls[0] == 1) {
                throw new IllegalStateException("bug");
            }
            return Future.succeededFuture(List.of());
        }, 100);
        Future<String> a = throwing.submit("a");
        assertTrue(a.failed());
        Future<String> b = throwing.submit("b");
        assertTrue(b.failed(), "no result for b");
        assertTrue(b.cause().getMessage().contains("0 results for 1 items"), b.cause().getMessage());
        assertEquals(0, throwing.waiting());
    }
}
