package tenancy.internal.signin;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import platform.ratelimit.ClientAddresses;

/**
 * The client address of the current shop request, as the sign-in limits count it. A gateway
 * forwards the address it saw in {@code Forwarded: for=...} (and last in {@code X-Forwarded-For});
 * the cell believes those headers only on a request whose signed tenant header verified, which only
 * a gateway can send. Otherwise (a request straight to the cell, or one without a valid signature)
 * it is the socket's peer, whatever the headers say. IPv6 addresses count per /64 (one host's
 * usual allocation), IPv4 addresses one by one ({@link ClientAddresses}).
 */
@RequestScoped
public class ClientSource {

    /** The source when nothing usable is known: such requests share one count. */
    static final String UNKNOWN = "unknown";

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

    static Optional<String> normalise(String raw) {
        return ClientAddresses.normalise(raw);
    }
}
