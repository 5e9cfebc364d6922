package madoguchi.app.booking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The allocator's work as Prometheus sees it: decisions, batches, commits, saturation, expiries. */
public final class AllocatorMetrics implements AllocatorObserver {
    private final Timer decision;
    private final DistributionSummary batchSize;
    private final Timer commitOk;
    private final Timer commitFailed;
    private final Counter overloaded;
    private final Counter expired;
    private final Counter sweepErrors;
    private final Counter decisionErrors;

    public AllocatorMetrics(MeterRegistry registry) {
        decision = Timer.builder("madoguchi.allocator.decision").description("time to decide one request in memory")
                .publishPercentiles(0.5, 0.99).register(registry);
        batchSize = DistributionSummary.builder("madoguchi.allocator.batch.size").description("decisions per commit")
                .publishPercentiles(0.5, 0.99).register(registry);
        commitOk = Timer.builder("madoguchi.allocator.commit").tag("outcome", "ok")
                .description("time to make a batch durable").publishPercentiles(0.5, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1)).register(registry);
        commitFailed = Timer.builder("madoguchi.allocator.commit").tag("outcome", "failed")
                .description("time to make a batch durable").register(registry);
        overloaded = Counter.builder("madoguchi.allocator.overloaded").description("requests refused with 503 because a shard was saturated")
                .register(registry);
        expired = Counter.builder("madoguchi.holds.expired").description("holds released because their time was up").register(registry);
        sweepErrors = Counter.builder("madoguchi.allocator.sweep.errors")
                .description("holds the expiry sweep could not end (logged; the sweep went on)").register(registry);
        decisionErrors = Counter.builder("madoguchi.allocator.decision.errors")
                .description("requests that could not be decided (logged; answered unavailable)").register(registry);
    }

    /** Publishes the allocator's queue depth once it exists. */
    public static void gaugeQueue(MeterRegistry registry, Supplier<Number> depth) {
        Gauge.builder("madoguchi.allocator.queue.depth", depth).description("requests waiting for or in a commit").register(registry);
    }

    @Override
    public void decided(int shard, long nanos) {
        decision.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void committed(int shard, int size, long nanos, boolean succeeded) {
        batchSize.record(size);
        (succeeded ? commitOk : commitFailed).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void overloaded(int shard) {
        overloaded.increment();
    }

    @Override
    public void decisionFailed(int shard) {
        decisionErrors.increment();
    }

    @Override
    public void sweepFailed(int shard) {
        sweepErrors.increment();
    }

    @Override
    public void holdExpired(int shard, boolean released) {
        if (released) {
            expired.increment();
        }
    }
}
