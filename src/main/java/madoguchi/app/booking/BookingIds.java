package madoguchi.app.booking;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * A shard's booking ids: blocks reserved in the database ahead of need, so that a decision never
 * waits for it. Also the shard's time for decisions. Used on the shard's thread only.
 */
final class BookingIds implements SeatRequest.ShardClock {
    private static final Logger LOG = LoggerFactory.getLogger(BookingIds.class);
    static final int BLOCK = 1000;

    private final int shard;
    private final Clock clock;
    private final SeatSource source;
    private final Executor loop;
    private final int block;
    private final ArrayDeque<Long> blocks = new ArrayDeque<>();
    private long next = -1;
    private long end = -1;
    private Promise<Void> refilling;

    BookingIds(int shard, Clock clock, SeatSource source, Executor loop) {
        this(shard, clock, source, loop, BLOCK);
    }

    /** {@code block}: ids reserved at a time (a simulator uses a few, so that reserving them often fails or waits). */
    BookingIds(int shard, Clock clock, SeatSource source, Executor loop, int block) {
        this.block = block;
        this.shard = shard;
        this.clock = clock;
        this.source = source;
        this.loop = loop;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public long nextBookingId() {
        if (next >= end) {
            Long block = blocks.poll();
            if (block == null) {
                refill();
                return -1;
            }
            next = block;
            end = block + this.block;
        }
        if (blocks.isEmpty() && end - next < this.block / 2) {
            refill();
        }
        return next++;
    }

    /** True when a booking could not get an id now. */
    boolean exhausted() {
        return next >= end && blocks.isEmpty();
    }

    /** Completes (on the shard's thread) once the block being reserved is at hand, or could not be. */
    Future<Void> refill() {
        if (refilling != null) {
            return refilling.future();
        }
        Promise<Void> done = Promise.promise();
        refilling = done;
        source.reserveBookingIds(block).onComplete(r -> loop.execute(() -> {
            refilling = null;
            if (r.succeeded()) {
                blocks.add(r.result());
            } else {
                LOG.warn("shard {}: no booking ids could be reserved: {}", shard, r.cause().toString());
            }
            done.complete();
        }));
        return done.future();
    }
}
