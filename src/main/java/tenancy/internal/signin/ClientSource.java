package tenancy.internal.signin;

import jakarta.enterprise.context.RequestScoped;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client address of the current shop request, as the sign-in limits count it. A gateway
 * forwards the address it saw in {@code Forwarded: for=...} (and last in {@code X-Forwarded-For});
 * the cell believes those headers only on a request whose signed tenant header verified, which only
 * a gateway can send. Otherwise (a request straight to the cell, or one without a valid signature)
 * it is the socket's peer, whatever the headers say. IPv6 addresses count per /64 (one host's
 * usual allocation), IPv4 addresses one by one.
 */
@RequestScoped
public class ClientSource {

    /** The source when nothing usable is known: such requests share one count. */
    static final String UNKNOWN = "unknown";

    private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern FOR = Pattern.compile("(?i)(?:^|[;,\\s])for\\s*=\\s*(\"[^\"]*\"|[^;,\\s]*)");

    private boolean forwardedTrusted;
    private String forwarded;
    private String forwardedFor;
    private String peer;

    /** What the request says about its client; {@code forwardedTrusted} if it came from a gateway. */
    public void seen(boolean forwardedTrusted, String forwarded, String forwardedFor, String peer) {
        this.forwardedTrusted = forwardedTrusted;
        this.forwarded = forwarded;
        this.forwardedFor = forwardedFor;
        this.peer = peer;
    }

    /** The request's source, for example {@code ip4:203.0.113.7} or {@code ip6:2001:db8:0:1::/64}. */
    public String address() {
        return of(forwardedTrusted, forwarded, forwardedFor, peer);
    }

    /**
     * The source of a request: with {@code forwardedTrusted}, the first {@code for=} of
     * {@code Forwarded}, else the last entry of {@code X-Forwarded-For}; else (or when neither names
     * an address) the socket's peer.
     */
    static String of(boolean forwardedTrusted, String forwarded, String forwardedFor, String peer) {
        if (forwardedTrusted) {
            if (forwarded != null) {
                Matcher m = FOR.matcher(forwarded);
                if (m.find()) {
                    Optional<String> address = normalise(m.group(1));
                    if (address.isPresent()) {
                        return address.get();
                    }
                }
            }
            if (forwardedFor != null && !forwardedFor.isBlank()) {
                String[] hops = forwardedFor.split(",");
                Optional<String> address = normalise(hops[hops.length - 1]);
                if (address.isPresent()) {
                    return address.get();
                }
            }
        }
        return normalise(peer).orElse(UNKNOWN);
    }

    /** An IP address (quoted, bracketed or with a port, as in the headers) as a source; empty if it is none. */
    static Optional<String> normalise(String raw) {
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
