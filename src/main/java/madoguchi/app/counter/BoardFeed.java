package madoguchi.app.counter;

import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Keeps the open boards of each walk-in site up to date: when a site's queue changes (on any
 * instance), its board is read once and handed to every board open on this instance. Changes
 * that arrive together are read once: a rush at the door costs one read per {@link #GATHER_MS},
 * not one per ticket and board.
 */
public final class BoardFeed {
    static final long GATHER_MS = 100;

    private final WalkIn walkIn;
    private final Vertx vertx;
    private final Map<String, Set<Consumer<WalkInStore.Board>>> boards = new ConcurrentHashMap<>();
    private final Set<String> due = ConcurrentHashMap.newKeySet();

    public BoardFeed(BoardNews news, WalkIn walkIn, Vertx vertx) {
        this.walkIn = walkIn;
        this.vertx = vertx;
        news.listen(this::changed);
    }

    /** Hands every new board of the site to {@code sink} (from any thread) until the returned action is run. */
    public Runnable follow(String siteId, Consumer<WalkInStore.Board> sink) {
        boards.computeIfAbsent(siteId, k -> new CopyOnWriteArraySet<>()).add(sink);
        return () -> boards.computeIfPresent(siteId, (k, set) -> {
            set.remove(sink);
            return set.isEmpty() ? null : set;
        });
    }

    private void changed(String siteId) {
        if (!boards.containsKey(siteId) || !due.add(siteId)) {
            return;
        }
        vertx.setTimer(GATHER_MS, id -> {
            due.remove(siteId);
            walkIn.board(siteId).onSuccess(board -> {
                Set<Consumer<WalkInStore.Board>> open = boards.get(siteId);
                if (open != null) {
                    open.forEach(sink -> sink.accept(board));
                }
            });
        });
    }
}
