package madoguchi.app.booking;

import java.time.Duration;

/**
 * Tuning of the allocator: how many decisions may wait per shard before new ones are refused
 * with "busy" (a hard limit, and a wait budget: the time the queue ahead would take to commit at
 * the pace of the last batches), how many go into one transaction, and how often holds expire and
 * shards catch up with other instances.
 */
public record AllocatorSettings(int queueLimit, Duration waitBudget, int batchLimit, Duration expiryEvery,
                                Duration refreshEvery, Duration abandonedHoldGrace) {

    /** Below this many decisions waiting for a commit a shard always admits, whatever the last commits took. */
    public static final int ALWAYS_ADMITTED = 64;

    /**
     * The service's settings. The wait budget (MADOGUCHI_ALLOCATOR_WAIT_MS, default 1 s) turns a
     * request away with an immediate 503 when the decisions queued ahead of it would take longer
     * than that to commit. Measured (BENCHMARKS.md): a budget of 100 ms refused most of a 1,000-
     * connection surge and cut durable bookings/s by two thirds, because smaller batches commit
     * fewer seats per round trip; 1 s changed nothing in the same run and still bounds a queue
     * gone wrong. Zero turns the budget off.
     */
    public static AllocatorSettings defaults(int queueLimit, Duration waitBudget) {
        return new AllocatorSettings(queueLimit, waitBudget, 512, Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(60));
    }
}
