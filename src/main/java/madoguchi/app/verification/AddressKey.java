package madoguchi.app.verification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The key a client address is counted under. An IPv4 address counts alone; an IPv6 address counts
 * with its whole /64, because one subscriber (one home, one server) is usually given a /64 and can
 * pick any of its 2^64 addresses — counting each on its own would give them an endless budget. An
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4 address it maps.
 */
public final class AddressKey {
    private AddressKey() {
    }

    /** {@code address:192.0.2.1} or {@code address:2001:db8:1:2::/64}; anything unreadable counts as itself. */
    public static String of(String hostAddress) {
        if (hostAddress == null || hostAddress.isBlank()) {
            return "address:?";
        }
        String literal = hostAddress.trim();
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        // only literals reach here (never a name), so no lookup is made
        if (!literal.matches("[0-9A-Fa-f:.]+")) {
            return "address:" + literal;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return "address:" + literal;
        }
        if (address instanceof Inet4Address) {
            // Java reads an IPv4-mapped IPv6 literal as the IPv4 address already
            return "address:" + address.getHostAddress();
        }
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            StringBuilder prefix = new StringBuilder("address:");
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return "address:" + literal;
    }
}
