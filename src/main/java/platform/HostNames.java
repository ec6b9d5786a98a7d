package platform;

import com.ibm.icu.text.IDNA;
import java.util.Locale;
import java.util.Optional;

/**
 * Normalises a Host header the way the control plane normalises domains: lower case, no port, no
 * trailing dot, internationalised names as punycode by UTS #46 without transitional processing
 * (IDNA2008 as browsers apply it: {@code straße.de} is {@code xn--strae-oqa.de}, not
 * {@code strasse.de}). Gateways, cells and the control plane all use this one method, so a domain
 * a merchant registers is the key a shopper's browser sends.
 */
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
        if (isPlainLdh(host)) {
            return Optional.of(host.toLowerCase(Locale.ROOT)); // the common case, without the IDNA machinery
        }
        StringBuilder ascii = new StringBuilder(host.length() + 16);
        IDNA.Info info = new IDNA.Info();
        Uts46.INSTANCE.nameToASCII(host, ascii, info);
        if (info.hasErrors() || ascii.isEmpty() || ascii.length() > 253) {
            return Optional.empty();
        }
        return Optional.of(ascii.toString());
    }

    /**
     * ASCII letters, digits and hyphens in labels of 1 to 63 characters that neither start nor end
     * with a hyphen, and no label of the punycode form ({@code xn--}), which UTS #46 must validate.
     */
    private static boolean isPlainLdh(String host) {
        int labelStart = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i < host.length() ? host.charAt(i) : '.';
            if (c == '.') {
                int length = i - labelStart;
                if (length == 0 || length > 63 || host.charAt(labelStart) == '-' || host.charAt(i - 1) == '-') {
                    return false;
                }
                if (length >= 4 && host.charAt(labelStart + 2) == '-' && host.charAt(labelStart + 3) == '-') {
                    return false; // "xn--" and other reserved "??--" labels
                }
                labelStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Loaded on the first host name that is not plain ASCII. */
    private static final class Uts46 {
        static final IDNA INSTANCE = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.USE_STD3_RULES
                | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO);
    }
}
