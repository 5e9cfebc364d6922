package madoguchi.store;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.Config;
import madoguchi.app.cards.CardCsv;
import madoguchi.domain.CardState;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A card import is answered only once the tables it wrote have statistics: with autovacuum off (or
 * behind) the bookings that follow within seconds would otherwise meet tables the planner knows
 * nothing about.
 */
class CardImportAnalysesTest {

    @Test
    void anImportAnalysesTheTablesItWroteBeforeItAnswers() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        new Database(db, null).migrate();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE cards SET (autovacuum_enabled = false)");
            st.execute("ALTER TABLE card_events SET (autovacuum_enabled = false)");
            st.execute("INSERT INTO sites (id, name_ja, name_en, kind) VALUES ('kawasaki', 'x', 'x', 'ward')");
        }
        assertEquals(0, statistics(db), "nothing analysed the tables yet");
        Vertx vertx = Vertx.vertx();
        try {
            Pool pool = new Database(db, null).pool(vertx, 2);
            List<CardCsv.Row> rows = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                rows.add(new CardCsv.Row(i + 2, String.valueOf(9_100_000_000L + i), LocalDate.of(1980, 1, 1), null, "kawasaki",
                        CardState.READY, null, LocalDate.of(2021, 3, 1)));
            }
            var batch = new PgCardImport(pool).begin("admin", n -> { }).await(10, TimeUnit.SECONDS);
            batch.write(rows).await(30, TimeUnit.SECONDS);
            var counts = batch.commit().await(30, TimeUnit.SECONDS);
            assertEquals(2_000, counts.imported());
            // the answer came back after ANALYZE: the statistics are there already, no waiting
            assertTrue(statistics(db) > 0, "cards and card_events have statistics when the import answers");
            assertEquals(2_000, analysedRows(db));
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static long statistics(Config.DatabaseUrl db) throws Exception {
        return query(db, "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename IN ('cards', 'card_events')");
    }

    private static long analysedRows(Config.DatabaseUrl db) throws Exception {
        return query(db, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'cards'");
    }

    private static long query(Config.DatabaseUrl db, String sql) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
