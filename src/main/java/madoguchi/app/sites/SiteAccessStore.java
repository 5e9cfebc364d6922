package madoguchi.app.sites;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The sites' access notes. */
public interface SiteAccessStore {

    /** Every site's notes that were written, by site id. */
    Future<Map<String, SiteAccess>> all();

    /**
     * Replaces the site's notes and writes the audit row {@code audit} makes of what they were,
     * in one transaction: both or neither.
     */
    Future<Void> put(String siteId, SiteAccess access, Function<Optional<SiteAccess>, AuditEntry> audit);
}
