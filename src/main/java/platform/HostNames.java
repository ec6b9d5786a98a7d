package platform;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/** Normalises a Host header the way the control plane normalises domains: lower case, no port, no trailing dot, IDN as punycode. */
public final class HostNames {

    private HostNames() {}

    /** The normalised host name, or empty if the header cannot name a shop. */
    public static Optional<String> normalise(String hostHeader) {
        if (hostHeader == null) {
            return Optional.empty();
        }
        String host = hostHeader.trim();
        if (host.startsWith("[")) {
            return Optional.empty(); // IP literals never name a shop
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.length() > 253) {
            return Optional.empty();
        }
        try {
            return Optional.of(IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }
}
