package platform;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The header by which a gateway tells a cell which tenant a forwarded request is for:
 * {@code X-Storefront-Tenant: <tenant id>.<epoch seconds>.<HMAC-SHA256(secret, "<tenant id>.<epoch seconds>")>}.
 * Cells accept it only with a valid signature and a timestamp within {@link #MAX_SKEW}.
 */
public final class SignedTenantHeader {

    /** Header name. */
    public static final String NAME = "X-Storefront-Tenant";

    /** How far the signing time may be from the verifier's clock. */
    public static final Duration MAX_SKEW = Duration.ofSeconds(60);

    private SignedTenantHeader() {}

    /** The header value for a tenant, signed now. */
    public static String sign(String secret, UUID tenantId, Instant now) {
        String payload = tenantId + "." + now.getEpochSecond();
        return payload + "." + Secrets.hmac(secret, payload);
    }

    /** The tenant named by a header value, if its signature and time are valid. */
    public static Optional<UUID> verify(String secret, String value, Instant now) {
        if (secret == null || secret.isBlank() || value == null) {
            return Optional.empty();
        }
        String[] parts = value.trim().split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            UUID tenant = UUID.fromString(parts[0]);
            long seconds = Long.parseLong(parts[1]);
            if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
                return Optional.empty();
            }
            String expected = Secrets.hmac(secret, parts[0] + "." + parts[1]);
            return Secrets.sameString(expected, parts[2]) ? Optional.of(tenant) : Optional.empty();
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
