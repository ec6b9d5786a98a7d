package platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a running instance of the single storefront artifact is. Chosen at startup, never at build time. */
public enum NodeRole {
    /** Serves shops: storefront API, merchant admin, the cell's own PostgreSQL and Redis. Needs {@code CELL_ID}. */
    CELL,
    /** The control plane: tenants, domains, cells, placement, provisioning. Owns the control database. */
    CONTROL,
    /** Routes shopper requests by host name to the tenant's cell and rate-limits each tenant. */
    GATEWAY;

    /** The environment variable that selects the role. */
    public static final String VARIABLE = "STOREFRONT_ROLE";

    /** The configuration property the variable maps to. */
    public static final String PROPERTY = "storefront.role";

    /** The value as written in configuration: lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Allowed values, as a human-readable list ("cell, control, gateway"). */
    public static String allowedValues() {
        return Arrays.stream(values()).map(NodeRole::value).collect(Collectors.joining(", "));
    }

    /**
     * Parses a configured value.
     *
     * @throws IllegalArgumentException with a message naming the variable and the allowed values
     */
    public static NodeRole parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException(VARIABLE + " is not set; set it to one of: " + allowedValues());
        }
        String value = raw.trim().toLowerCase(Locale.ROOT);
        for (NodeRole role : values()) {
            if (role.value().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException(
                VARIABLE + "='" + raw + "' is not a known role; set it to one of: " + allowedValues());
    }
}
