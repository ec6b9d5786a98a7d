package tenancy;

import java.util.UUID;

/**
 * Where a host name's requests go: published by the control plane on the compacted topic
 * {@link #TOPIC} (keyed by host), read by every gateway into its in-memory route table.
 *
 * @param host            normalised host name
 * @param tenantId        the tenant served there
 * @param handle          the tenant's handle
 * @param cellId          the cell that serves it
 * @param cellBaseUrl     where that cell takes HTTP requests
 * @param status          {@code active}, {@code suspended} or {@code removed} (a removed host has no route)
 * @param requestsPerSecond the tenant's sustained request rate limit
 * @param burst           the requests it may send at once above that rate
 */
public record TenantRoute(String host, UUID tenantId, String handle, String cellId, String cellBaseUrl, String status,
                          int requestsPerSecond, int burst) {

    /** Compacted topic of routes on the platform ({@code <platform>.controlplane.routes}; {@link platform.PlatformId#topic}). */
    public static final String TOPIC = "controlplane.routes";

    /** Event type of a route in its envelope. */
    public static final String TYPE = "TenantRouteChanged";
}
