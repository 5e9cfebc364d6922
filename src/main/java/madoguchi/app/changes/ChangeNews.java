package madoguchi.app.changes;

/**
 * News that a site or a site's slots changed, from whichever instance changed them. Each piece
 * is sent with the change's own transaction (PostgreSQL's NOTIFY), so news of a change that did
 * not commit is never heard; news of this instance's own changes is not passed on (it reloaded
 * after writing).
 */
public interface ChangeNews {

    /** What changed at a site: the site itself (a new one), or its slots (seats, quotas, blocks, closures, new days). */
    enum Kind { SITE, SLOTS }

    /** Who applies the news. Called on an event loop; must not block. */
    interface Listener {
        void changed(Kind kind, String siteId);

        /**
         * The news connection was (re)established: whatever changed while it was not listening
         * was not heard, and everything should be read again. Also called on the first connect,
         * which comes after the state was first read.
         */
        void mayHaveMissedNews();
    }

    void listen(Listener listener);
}
