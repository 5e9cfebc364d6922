package madoguchi.app;

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
     * The service's settings. A wait budget of 100 ms (the default of MADOGUCHI_ALLOCATOR_WAIT_MS)
     * keeps answers near the 150 ms a resident should wait at saturation: beyond it, an immediate
     * 503 with Retry-After is kinder than a slow page. Zero turns the budget off.
     */
    public static AllocatorSettings defaults(int queueLimit, Duration waitBudget) {
        return new AllocatorSettings(queueLimit, waitBudget, 512, Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(60));
    }
}
