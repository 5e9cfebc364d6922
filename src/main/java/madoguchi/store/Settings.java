package madoguchi.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;

/** Values every instance must share, created once in the database. */
public final class Settings {
    private Settings() {
    }

    private static final String LEGACY = "legacy";

    /** The key that signs residents' tokens: made on first start, then read by every instance. */
    public static byte[] residentTokenKey(Connection c) throws SQLException {
        return Base64.getDecoder().decode(once(c, "resident_token_key", fresh()));
    }

    /**
     * The secret that keys booking codes: made on first start, then read by every instance; empty
     * for an installation that had issued codes before codes were keyed (it keeps the first
     * build's permutation, since a new one could give a new booking a code already in use).
     */
    public static Optional<byte[]> bookingCodeKey(Connection c) throws SQLException {
        boolean issued;
        try (PreparedStatement any = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM bookings)");
             ResultSet rs = any.executeQuery()) {
            rs.next();
            issued = rs.getBoolean(1);
        }
        String value = once(c, "booking_code_key", issued ? LEGACY : fresh());
        return value.equals(LEGACY) ? Optional.empty() : Optional.of(Base64.getDecoder().decode(value));
    }

    /** The stored value of {@code name}, storing {@code value} first when there is none (the first instance wins). */
    private static String once(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name);
            insert.setString(2, value);
            insert.executeUpdate();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String fresh() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
