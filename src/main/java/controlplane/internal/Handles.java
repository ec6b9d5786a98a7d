package controlplane.internal;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import platform.HostNames;

/** Rules for shop handles and custom domains. */
public final class Handles {

    static final Pattern HANDLE = Pattern.compile("[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])");
    static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    static final Set<String> RESERVED = Set.of("admin", "www", "api", "app", "apps", "shop", "shops", "store", "mail",
            "static", "assets", "cdn", "status", "help", "support", "login", "signup", "account", "billing", "docs",
            "blog", "dev", "test", "internal", "control", "gateway", "cell", "root", "system", "localhost");

    private Handles() {}

    /** Why a handle is not acceptable, if it is not. */
    public static Optional<String> handleProblem(String handle) {
        if (handle == null || !HANDLE.matcher(handle).matches()) {
            return Optional.of("must be 3-63 lower-case letters, digits or dashes, not starting or ending with a dash");
        }
        if (handle.contains("--")) {
            return Optional.of("must not contain two dashes in a row");
        }
        if (RESERVED.contains(handle)) {
            return Optional.of("is reserved");
        }
        return Optional.empty();
    }

    /**
     * The normalised custom domain (lower case, no trailing dot, IDN as punycode), or a problem:
     * not a host name, a bare name, an IP address, or the platform's own domain or one under it.
     */
    public static Result customDomain(String raw, String platformDomain) {
        if (raw == null || raw.isBlank() || raw.length() > 253 || raw.contains(":") || raw.contains("/")) {
            return new Result(null, "must be a host name such as shop.example.com");
        }
        Optional<String> normalised = HostNames.normalise(raw);
        if (normalised.isEmpty()) {
            return new Result(null, "must be a host name such as shop.example.com");
        }
        String host = normalised.get();
        String[] labels = host.split("\\.");
        if (labels.length < 2) {
            return new Result(null, "must have at least two labels, such as example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return new Result(null, "label '" + label + "' must be 1-63 letters, digits or dashes");
            }
        }
        if (labels[labels.length - 1].matches("[0-9]+")) {
            return new Result(null, "must not be an IP address");
        }
        String platform = platformDomain.toLowerCase(java.util.Locale.ROOT);
        if (host.equals(platform) || host.endsWith("." + platform)) {
            return new Result(null, "must not be the platform's own domain " + platform);
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return new Result(null, "must not be a localhost name");
        }
        return new Result(host, null);
    }

    /** A normalised domain, or the problem with it. */
    public record Result(String host, String problem) {}
}
