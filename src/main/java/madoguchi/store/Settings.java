package madoguchi.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;

/** Values every instance must share, created once in the database. */
public final class Settings {
    private Settings() {
    }

    /** The key that signs residents' tokens: made on first start, then read by every instance. */
    public static byte[] residentTokenKey(Connection c) throws SQLException {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO settings (name, value) VALUES ('resident_token_key', ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, Base64.getEncoder().encodeToString(fresh));
            insert.executeUpdate();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT value FROM settings WHERE name = 'resident_token_key'");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return Base64.getDecoder().decode(rs.getString(1));
        }
    }
}
