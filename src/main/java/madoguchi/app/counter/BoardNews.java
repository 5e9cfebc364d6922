package madoguchi.app.counter;

import java.util.function.Consumer;

/**
 * News that a walk-in site's queue changed, from whichever instance changed it (PostgreSQL's
 * NOTIFY, sent with the change's own transaction, so a board never hears of a change that did
 * not commit).
 */
public interface BoardNews {
    void listen(Consumer<String> siteChanged);
}
