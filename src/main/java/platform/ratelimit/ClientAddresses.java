package platform.ratelimit;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client address as limits count it: {@code ip4:203.0.113.7} for IPv4 (one by one), and
 * {@code ip6:2001:db8:0:1::/64} for IPv6, per /64 (one host's usual allocation, so that a client
 * cannot escape a limit by walking its own prefix). IPv4-mapped IPv6 addresses count as IPv4.
 */
public final class ClientAddresses {

    private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientAddresses() {}

    /** An IP address (quoted, bracketed or with a port, as in the headers) as a source; empty if it is none. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String text = raw.trim();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).trim();
        }
        if (text.startsWith("[")) { // [v6] or [v6]:port
            int close = text.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            text = text.substring(1, close);
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) { // v4:port
            text = text.substring(0, text.indexOf(':'));
        }
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            StringBuilder out = new StringBuilder("ip4:");
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(v4.group(i));
                if (octet > 255) {
                    return Optional.empty();
                }
                out.append(i > 1 ? "." : "").append(octet);
            }
            return Optional.of(out.toString());
        }
        if (!IPV6.matcher(text).matches() || text.indexOf(':') < 0) {
            return Optional.empty();
        }
        try {
            // in brackets, the JDK parses the literal and never asks DNS
            InetAddress address = InetAddress.getByName("[" + text + "]");
            byte[] bytes = address.getAddress();
            if (address instanceof Inet4Address) { // IPv4-mapped
                return normalise(address.getHostAddress());
            }
            return Optional.of(String.format(Locale.ROOT, "ip6:%x:%x:%x:%x::/64", word(bytes, 0), word(bytes, 2),
                    word(bytes, 4), word(bytes, 6)));
        } catch (UnknownHostException notAnAddress) {
            return Optional.empty();
        }
    }

    private static int word(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }
}
