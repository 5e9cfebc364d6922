package madoguchi.app.staff;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;
import madoguchi.app.sites.SiteAccess;
import madoguchi.app.sites.SiteAccessStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static madoguchi.app.fakes.OneSite.await;
import static madoguchi.app.fakes.OneSite.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Administrators' access notes: each change audited with what it replaced, or nothing written. */
class SiteAccessNotesTest {
    private final Memory store = new Memory();
    private final SiteAccessNotes notes = new SiteAccessNotes(store, java.time.Clock.systemUTC());
    private final Principal admin = new Principal("aiko", Principal.Role.ADMIN);

    @Test
    void aChangeIsAuditedWithWhatItReplaced() {
        SiteAccess first = new SiteAccess(null, "JR川崎駅から徒歩8分", "8 min walk from JR Kawasaki Station", "", "", "1階", "1st floor");
        await(notes.change(admin, "kawasaki", first));
        SiteAccess second = new SiteAccess("https://maps.example.jp/k", "京急川崎駅から徒歩5分", "5 min walk from Keikyu Kawasaki",
                "駐車場はありません", "No parking", "1階", "1st floor");
        await(notes.change(admin, "kawasaki", second));

        assertEquals(second, await(notes.all()).get("kawasaki"));
        assertEquals(2, store.audits.size());
        AuditEntry last = store.audits.get(1);
        assertEquals("site.access", last.action());
        assertEquals("site:kawasaki", last.target());
        assertEquals("aiko", last.actor());
        assertEquals("JR川崎駅から徒歩8分", last.before().getJsonObject("station").getString("ja"));
        assertEquals("https://maps.example.jp/k", last.after().getString("mapUrl"));
        assertNull(store.audits.get(0).before(), "the first notes replaced none");
    }

    @Test
    void aChangeThatCannotBeWrittenWithItsAuditRowIsNotRecorded() {
        store.broken = true;
        Throwable e = failure(notes.change(admin, "kawasaki", SiteAccess.NONE));
        assertInstanceOf(NotRecorded.class, e);
        assertTrue(await(notes.all()).isEmpty() && store.audits.isEmpty(), "neither the notes nor the audit row");
    }

    @Test
    void theNotesAreReadAtMostEveryThirtySecondsAndAtOnceAfterAChange() {
        madoguchi.support.MutableClock clock = new madoguchi.support.MutableClock(java.time.Instant.parse("2026-12-01T00:00:00Z"));
        SiteAccessNotes cached = new SiteAccessNotes(store, clock);
        await(cached.all());
        await(cached.all());
        assertEquals(1, store.reads.get(), "the site list does not read the database on every request");
        await(cached.change(admin, "kawasaki", SiteAccess.NONE));
        await(cached.all());
        assertEquals(2, store.reads.get(), "a change on this instance is shown at once");
        clock.set(clock.instant().plusSeconds(30));
        await(cached.all());
        assertEquals(3, store.reads.get(), "a change on another instance is shown within 30 s");
    }

    /** One transaction in memory: the notes and their audit row together, or neither. */
    static final class Memory implements SiteAccessStore {
        final Map<String, SiteAccess> bySite = new ConcurrentHashMap<>();
        final List<AuditEntry> audits = new CopyOnWriteArrayList<>();
        volatile boolean broken;
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Future<Map<String, SiteAccess>> all() {
            reads.incrementAndGet();
            return Future.succeededFuture(Map.copyOf(bySite));
        }

        @Override
        public Future<Void> put(String siteId, SiteAccess access, Function<Optional<SiteAccess>, AuditEntry> audit) {
            AuditEntry entry = audit.apply(Optional.ofNullable(bySite.get(siteId)));
            if (broken) {
                return Future.failedFuture(new IllegalStateException("audit_log refused the row"));
            }
            bySite.put(siteId, access);
            audits.add(entry);
            return Future.succeededFuture();
        }
    }
}
