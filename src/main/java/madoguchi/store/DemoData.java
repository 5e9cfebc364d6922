package madoguchi.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

/**
 * Kawasaki's ten issuance sites with their real hours and 100,000 ready cards, loaded into an
 * empty database when MADOGUCHI_DEMO is on. Cards are spread like the cards the city found on
 * its shelves in June 2021 (seed report, section 5); the card center, which has no count there,
 * gets a fifth of them. Notice numbers and birth dates are deterministic so that the docs can
 * name demo residents.
 */
public final class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
    public static final int CARDS = 100_000;
    public static final long FIRST_NOTICE = 2_100_000_001L;
    /** Cards of the demo's past (issued, cancelled, and ready ones a shelf count would not find). */
    public static final int HISTORY_CARDS = 42_400;

    record DemoSite(String id, String nameJa, String nameEn, String kind, String addressJa, String addressEn,
                    int counters, int storedCards) {
    }

    static final List<DemoSite> SITES = List.of(
            new DemoSite("center", "マイナンバーカードセンター", "My Number Card Center", "center",
                    "川崎市高津区坂戸3丁目2番1号 かながわサイエンスパーク(KSP)西棟",
                    "KSP West, 3-2-1 Sakado, Takatsu-ku, Kawasaki", 20, 0),
            new DemoSite("kawasaki", "川崎区役所", "Kawasaki Ward Office", "ward", "川崎市川崎区東田町8",
                    "8 Higashida-cho, Kawasaki-ku, Kawasaki", 4, 1157),
            new DemoSite("saiwai", "幸区役所", "Saiwai Ward Office", "ward", "川崎市幸区戸手本町1-11-1",
                    "1-11-1 Totehon-cho, Saiwai-ku, Kawasaki", 4, 1365),
            new DemoSite("nakahara", "中原区役所", "Nakahara Ward Office", "ward", "川崎市中原区小杉町3-245",
                    "3-245 Kosugi-cho, Nakahara-ku, Kawasaki", 4, 1772),
            new DemoSite("takatsu", "高津区役所", "Takatsu Ward Office", "ward", "川崎市高津区下作延2-8-1",
                    "2-8-1 Shimosakunobe, Takatsu-ku, Kawasaki", 4, 1378),
            new DemoSite("miyamae", "宮前区役所", "Miyamae Ward Office", "ward", "川崎市宮前区宮前平2-20-5",
                    "2-20-5 Miyamaedaira, Miyamae-ku, Kawasaki", 4, 2021),
            new DemoSite("tama", "多摩区役所", "Tama Ward Office", "ward", "川崎市多摩区登戸1775-1",
                    "1775-1 Noborito, Tama-ku, Kawasaki", 4, 1042),
            new DemoSite("asao", "麻生区役所", "Asao Ward Office", "ward", "川崎市麻生区万福寺1-5-1",
                    "1-5-1 Manpukuji, Asao-ku, Kawasaki", 4, 1477),
            new DemoSite("daishi", "大師支所", "Daishi Branch Office", "branch", "川崎市川崎区東門前2-1-1",
                    "2-1-1 Higashimonzen, Kawasaki-ku, Kawasaki", 2, 772),
            new DemoSite("tajima", "田島支所", "Tajima Branch Office", "branch", "川崎市川崎区鋼管通2-3-7",
                    "2-3-7 Kokandori, Kawasaki-ku, Kawasaki", 2, 546));

    /**
     * The walk-in site (予約不要), as the city opened one at KSP in July 2021: every day 10:00–18:00,
     * four counters of two residents per 15 minutes (256 tickets a day), and its own block of
     * {@link #WALK_IN_CARDS} ready cards from notice number {@link #FIRST_WALK_IN_NOTICE}.
     */
    public static final String WALK_IN_SITE = "ksp-walk-in";
    public static final long FIRST_WALK_IN_NOTICE = 2_400_000_001L;
    public static final int WALK_IN_CARDS = 1_000;

    private DemoData() {
    }

    /** The birth date of walk-in demo card {@code i} (0-based). */
    public static LocalDate walkInBirthDate(int i) {
        return LocalDate.of(1950, 1, 1).plusDays(i * 37L % 20_000);
    }

    /** Loads the demo into an empty database; does nothing when any site exists. */
    public static boolean loadIfEmpty(Database database) throws SQLException {
        try (Connection c = database.jdbc()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM sites")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
            long started = System.nanoTime();
            c.setAutoCommit(false);
            insertSites(c);
            insertWalkInSite(c);
            insertAccess(c);
            insertCards(c);
            insertHistory(c);
            c.commit();
            LOG.info("demo data loaded in {} ms: {} sites, {} ready cards (first notice number {})",
                    (System.nanoTime() - started) / 1_000_000, SITES.size(), CARDS, FIRST_NOTICE);
            return true;
        }
    }

    /** The birth date of demo card {@code i} (0-based), so that the docs can name demo residents. */
    public static LocalDate birthDate(int i) {
        return LocalDate.of(1940, 1, 1).plusDays((i * 7919L) % 24_000);
    }

    private static void insertSites(Connection c) throws SQLException {
        try (PreparedStatement site = c.prepareStatement(
                "INSERT INTO sites (id, name_ja, name_en, kind, address_ja, address_en, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement counter = c.prepareStatement("INSERT INTO counters (site_id, number) VALUES (?, ?)");
             PreparedStatement rule = c.prepareStatement(
                     "INSERT INTO opening_rules (site_id, weekdays, nth_of_month, holidays, opens, closes, counters, per_counter, label)"
                             + " VALUES (?, ?::smallint[], ?::smallint[], ?, ?::time, ?::time, ?, 2, ?)")) {
            int order = 0;
            for (DemoSite s : SITES) {
                site.setInt(7, ++order);
                site.setString(1, s.id());
                site.setString(2, s.nameJa());
                site.setString(3, s.nameEn());
                site.setString(4, s.kind());
                site.setString(5, s.addressJa());
                site.setString(6, s.addressEn());
                site.addBatch();
                for (int n = 1; n <= s.counters(); n++) {
                    counter.setString(1, s.id());
                    counter.setInt(2, n);
                    counter.addBatch();
                }
                for (String[] r : rulesOf(s.kind())) {
                    rule.setString(1, s.id());
                    rule.setString(2, r[0]);
                    rule.setString(3, r[1]);
                    rule.setString(4, r[2]);
                    rule.setString(5, r[3]);
                    rule.setString(6, r[4]);
                    rule.setInt(7, s.counters());
                    rule.setString(8, r[5]);
                    rule.addBatch();
                }
            }
            site.executeBatch();
            counter.executeBatch();
            rule.executeBatch();
        }
    }

    /** How to get to each demo site: station, parking, floor (ja, en), as a ward office's page says it. */
    static final List<String[]> ACCESS = List.of(
            new String[] {"center", "東急田園都市線 溝の口駅・JR南武線 武蔵溝ノ口駅から無料シャトルバスで約10分",
                    "Free shuttle bus from Mizonokuchi (Tokyu) / Musashi-Mizonokuchi (JR) stations, about 10 min",
                    "KSPの有料駐車場をご利用いただけます", "Paid parking at KSP", "西棟1階 マイナンバーカードセンター",
                    "West building, 1st floor"},
            new String[] {"kawasaki", "京急川崎駅から徒歩5分、JR川崎駅から徒歩8分",
                    "5 min walk from Keikyu Kawasaki Station, 8 min from JR Kawasaki Station",
                    "駐車場は台数に限りがあります。公共交通機関でお越しください", "Parking is limited; please come by public transport",
                    "1階 区民課", "1st floor, Residents' Section"},
            new String[] {"saiwai", "JR川崎駅西口から川崎市バス「幸区役所」下車すぐ",
                    "City bus from JR Kawasaki Station (west exit) to \"Saiwai Kuyakusho\"",
                    "区役所駐車場（有料）", "Ward office car park (paid)", "1階 区民課", "1st floor, Residents' Section"},
            new String[] {"nakahara", "JR・東急 武蔵小杉駅から徒歩5分", "5 min walk from Musashi-Kosugi Station (JR, Tokyu)",
                    "駐車場はありません。近くの有料駐車場をご利用ください", "No parking; please use a paid car park nearby",
                    "2階 区民課", "2nd floor, Residents' Section"},
            new String[] {"takatsu", "JR南武線 武蔵溝ノ口駅・東急 溝の口駅から徒歩10分",
                    "10 min walk from Musashi-Mizonokuchi (JR) / Mizonokuchi (Tokyu) stations",
                    "区役所駐車場（有料、台数に限りがあります）", "Ward office car park (paid, limited)", "1階 区民課",
                    "1st floor, Residents' Section"},
            new String[] {"miyamae", "東急田園都市線 宮前平駅から徒歩10分", "10 min walk from Miyamaedaira Station (Tokyu Den-en-toshi Line)",
                    "区役所駐車場（有料）", "Ward office car park (paid)", "2階 区民課", "2nd floor, Residents' Section"},
            new String[] {"tama", "小田急線・JR南武線 登戸駅から徒歩7分", "7 min walk from Noborito Station (Odakyu, JR Nambu Line)",
                    "区役所駐車場（有料）", "Ward office car park (paid)", "1階 区民課", "1st floor, Residents' Section"},
            new String[] {"asao", "小田急線 新百合ヶ丘駅から徒歩5分", "5 min walk from Shin-Yurigaoka Station (Odakyu Line)",
                    "区役所駐車場（有料）", "Ward office car park (paid)", "1階 区民課", "1st floor, Residents' Section"},
            new String[] {"daishi", "京急大師線 東門前駅から徒歩3分", "3 min walk from Higashi-Monzen Station (Keikyu Daishi Line)",
                    "駐車場はありません", "No parking", "1階 窓口", "1st floor"},
            new String[] {"tajima", "JR南武支線 小田栄駅から徒歩8分", "8 min walk from Odasakae Station (JR Nambu Branch Line)",
                    "駐車場は台数に限りがあります", "Parking is limited", "1階 窓口", "1st floor"});

    private static void insertAccess(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO site_access (site_id, map_url, station_ja, station_en,"
                + " parking_ja, parking_en, floor_ja, floor_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (String[] a : ACCESS) {
                DemoSite site = SITES.stream().filter(s -> s.id().equals(a[0])).findFirst().orElseThrow();
                st.setString(1, a[0]);
                // a map search of the address: it finds the building without a hand-made link per site
                st.setString(2, "https://www.google.com/maps/search/?api=1&query="
                        + java.net.URLEncoder.encode(site.nameJa() + " " + site.addressJa(), java.nio.charset.StandardCharsets.UTF_8));
                for (int i = 1; i <= 6; i++) {
                    st.setString(i + 2, a[i]);
                }
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static void insertWalkInSite(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO sites (id, name_ja, name_en, kind, address_ja, address_en, walk_in, sort_order) VALUES ('"
                    + WALK_IN_SITE + "', 'KSP 予約不要の交付窓口', 'KSP walk-in counter (no booking)', 'popup',"
                    + " '川崎市高津区坂戸3丁目2番1号 かながわサイエンスパーク(KSP)西棟1階', 'KSP West 1F, 3-2-1 Sakado, Takatsu-ku, Kawasaki',"
                    + " true, " + (SITES.size() + 1) + ")");
            st.execute("INSERT INTO counters (site_id, number) SELECT '" + WALK_IN_SITE + "', n FROM generate_series(1, 4) n");
            st.execute("INSERT INTO opening_rules (site_id, weekdays, holidays, opens, closes, counters, per_counter, label)"
                    + " VALUES ('" + WALK_IN_SITE + "', '{1,2,3,4,5,6,7}', 'include', '10:00', '18:00', 4, 2, 'walk_in')");
            st.execute("INSERT INTO cards (notice_number, birth_date, phone, site_id, state, applied_on)"
                    + " SELECT (" + FIRST_WALK_IN_NOTICE + " + i)::text, date '1950-01-01' + (i * 37) % 20000,"
                    + " '+8190' || lpad(((i * 7919) % 100000000)::text, 8, '0'), '" + WALK_IN_SITE + "', 'ready', current_date - 45"
                    + " FROM generate_series(0, " + (WALK_IN_CARDS - 1) + ") i");
        }
    }

    /** Weekdays, nth of month, holidays, opens, closes, label — as in the city's published hours. */
    private static List<String[]> rulesOf(String kind) {
        switch (kind) {
            case "center":
                return List.of(
                        new String[] {"{1,2,3,4}", "{}", "exclude", "12:00", "20:00", "regular"},
                        new String[] {"{6,7}", "{}", "include", "09:00", "17:00", "regular"},
                        new String[] {"{1,2,3,4}", "{}", "only", "09:00", "17:00", "holiday"});
            case "ward":
                return List.of(
                        new String[] {"{1,2,3,4,5}", "{}", "exclude", "08:30", "17:00", "regular"},
                        new String[] {"{6}", "{2,4}", "exclude", "08:30", "12:00", "saturday"},
                        new String[] {"{6}", "{2,4}", "exclude", "15:00", "18:00", "issuance_only"});
            default:
                return java.util.Collections.singletonList(new String[] {"{1,2,3,4,5}", "{}", "exclude", "08:30", "17:00", "regular"});
        }
    }

    private static void insertCards(Connection c) throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        int[] perSite = cardsPerSite();
        int chunk = 20_000;
        StringBuilder rows = new StringBuilder(chunk * 64);
        int i = 0;
        LocalDate today = LocalDate.now();
        for (int s = 0; s < SITES.size(); s++) {
            for (int k = 0; k < perSite[s]; k++, i++) {
                rows.append(FIRST_NOTICE + i).append('\t')
                        .append(birthDate(i)).append('\t')
                        .append(String.format("+8180%08d", (i * 48271L) % 100_000_000L)).append('\t')
                        .append(SITES.get(s).id()).append('\t')
                        .append("ready\t")
                        .append(today.minusDays(30 + (i % 180))).append('\n');
                if ((i + 1) % chunk == 0) {
                    flush(copy, rows);
                    LOG.info("demo cards: {} / {}", i + 1, CARDS);
                }
            }
        }
        flush(copy, rows);
    }

    /**
     * A past for the admin reports: 40,000 cards issued and 2,000 cancelled over the last seven
     * months, each with its history; 300 ready cards with a reason the office noted (withdrawn,
     * moved between wards) and 100 minors' cards past their fifth birthday after application,
     * which a shelf count will not find. Notice numbers from 2200000001 up, apart from the
     * residents' cards.
     */
    private static void insertHistory(Connection c) throws SQLException {
        String sites = "ARRAY[" + String.join(",", SITES.stream().map(x -> "'" + x.id() + "'").toList()) + "]";
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO cards (notice_number, birth_date, site_id, state, cancel_reason, applied_on)"
                    + " SELECT (2200000001 + i)::text, date '1945-01-01' + (i * 7919) % 25000, (" + sites + ")[1 + i % " + SITES.size() + "],"
                    + "  CASE WHEN i < 40000 THEN 'issued' ELSE 'cancelled' END,"
                    + "  CASE WHEN i >= 40000 THEN (ARRAY['moved_out','moved_between_wards','died','expired','withdrawn'])[1 + i % 5] END,"
                    + "  current_date - 40 - (i % 200)"
                    + " FROM generate_series(0, 41999) i");
            st.execute("INSERT INTO card_events (card_id, at, from_state, to_state, source)"
                    + " SELECT id, (applied_on - 10 + time '12:00') AT TIME ZONE 'Asia/Tokyo', NULL, 'ready', 'demo'"
                    + " FROM cards WHERE notice_number >= '2200000001' AND notice_number < '2300000000'");
            st.execute("INSERT INTO card_events (card_id, at, from_state, to_state, reason, source)"
                    + " SELECT id, (applied_on + 20 + (id % 20)::int + time '12:00') AT TIME ZONE 'Asia/Tokyo', 'ready', state, cancel_reason, 'demo'"
                    + " FROM cards WHERE notice_number >= '2200000001' AND notice_number < '2300000000'");
            st.execute("INSERT INTO cards (notice_number, birth_date, site_id, state, cancel_reason, applied_on)"
                    + " SELECT (2300000001 + i)::text, date '1970-01-01', (" + sites + ")[2 + i % " + (SITES.size() - 1) + "], 'ready',"
                    + "  CASE WHEN i % 2 = 0 THEN 'withdrawn' ELSE 'moved_between_wards' END, current_date - 200"
                    + " FROM generate_series(0, 299) i");
            st.execute("INSERT INTO cards (notice_number, birth_date, site_id, state, applied_on)"
                    + " SELECT (2310000001 + i)::text, (current_date - interval '12 years')::date - (i % 300), (" + sites + ")[2 + i % "
                    + (SITES.size() - 1) + "], 'ready', (current_date - interval '6 years')::date - (i % 300)"
                    + " FROM generate_series(0, 99) i");
        }
    }

    private static void flush(CopyManager copy, StringBuilder rows) throws SQLException {
        if (rows.length() == 0) {
            return;
        }
        try {
            copy.copyIn("COPY cards (notice_number, birth_date, phone, site_id, state, applied_on) FROM STDIN",
                    new StringReader(rows.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("COPY of demo cards failed", e);
        }
        rows.setLength(0);
    }

    /** 20,000 at the center; the rest in the proportions of the seed's shelf count. */
    static int[] cardsPerSite() {
        int[] out = new int[SITES.size()];
        int centerShare = CARDS / 5;
        int rest = CARDS - centerShare;
        int stored = SITES.stream().mapToInt(DemoSite::storedCards).sum();
        int given = 0;
        for (int s = 1; s < SITES.size(); s++) {
            out[s] = (int) ((long) rest * SITES.get(s).storedCards() / stored);
            given += out[s];
        }
        out[0] = CARDS - given;
        return out;
    }
}
