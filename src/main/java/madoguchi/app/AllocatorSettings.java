package madoguchi.app;

import java.time.Duration;

/**
 * Tuning of the allocator: how many decisions may wait per shard before new ones are refused
 * with "busy", how many go into one transaction, and how often holds expire and shards catch up
 * with other instances.
 */
public record AllocatorSettings(int queueLimit, int batchLimit, Duration expiryEvery, Duration refreshEvery,
                                Duration abandonedHoldGrace) {

    public static AllocatorSettings defaults(int queueLimit) {
        return new AllocatorSettings(queueLimit, 512, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(60));
    }
}
