package madoguchi.app.sites;

import io.vertx.core.Future;
import madoguchi.domain.Site;

import java.util.List;

public interface SiteStore {

    Future<List<Site>> all();

    /**
     * Creates the site and writes {@code audit} in the same transaction; fails with
     * {@link Conflict} when the id is taken.
     */
    Future<Void> create(Site site, madoguchi.app.AuditEntry audit);

    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
