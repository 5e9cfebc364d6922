package madoguchi.bench;

import madoguchi.app.booking.CardRef;
import madoguchi.app.verification.ResidentTokens;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * For the HTTP load benchmark: writes one resident token per ready card of a site, signed with
 * the service's own key (read from the database), as verification would give them — so the
 * benchmark measures booking, not a million verifications.
 *
 * <p>Usage: {@code MintTokens jdbcUrl siteId count outputFile}
 */
public final class MintTokens {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String site = args[1];
        int count = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            byte[] key;
            try (ResultSet rs = s.executeQuery("SELECT value FROM settings WHERE name = 'resident_token_key'")) {
                rs.next();
                key = Base64.getDecoder().decode(rs.getString(1));
            }
            ResidentTokens tokens = new ResidentTokens(key, Clock.systemUTC(), Duration.ofHours(6));
            try (ResultSet rs = s.executeQuery("SELECT id FROM cards WHERE site_id = '" + site + "' AND state = 'ready' ORDER BY id LIMIT " + count);
                 BufferedWriter w = Files.newBufferedWriter(out)) {
                while (rs.next()) {
                    w.write(tokens.issue(new CardRef(rs.getLong(1), site)).token());
                    w.newLine();
                }
            }
        }
    }
}
