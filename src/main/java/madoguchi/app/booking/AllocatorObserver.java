package madoguchi.app.booking;

/** What the allocator reports as it works (metrics); calls come from shard threads. */
public interface AllocatorObserver {

    void decided(int shard, long nanos);

    void committed(int shard, int batchSize, long nanos, boolean succeeded);

    void overloaded(int shard);

    void holdExpired(int shard, boolean released);

    /** A request could not be decided (a bug, logged); it was answered unavailable. */
    default void decisionFailed(int shard) {
    }

    /** The expiry sweep could not end a hold (logged; the sweep went on, and tries again next time). */
    default void sweepFailed(int shard) {
    }

    AllocatorObserver NONE = new AllocatorObserver() {
        @Override
        public void decided(int shard, long nanos) {
        }

        @Override
        public void committed(int shard, int batchSize, long nanos, boolean succeeded) {
        }

        @Override
        public void overloaded(int shard) {
        }

        @Override
        public void holdExpired(int shard, boolean released) {
        }
    };
}
