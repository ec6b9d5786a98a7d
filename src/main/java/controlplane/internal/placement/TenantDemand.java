package controlplane.internal.placement;

import java.util.Objects;

/**
 * What a tenant to be placed asks for.
 *
 * @param plan         the tenant's plan (for messages)
 * @param isolated     the plan asks for a dedicated cell of its own
 * @param expectedLoad load units the tenant is expected to add; for a brand-new tenant, the plan's default
 */
public record TenantDemand(String plan, boolean isolated, double expectedLoad) {

    public TenantDemand {
        Objects.requireNonNull(plan, "plan");
        if (!(expectedLoad >= 0) || Double.isInfinite(expectedLoad)) {
            throw new IllegalArgumentException("expectedLoad must be a finite number >= 0, got " + expectedLoad);
        }
    }
}
