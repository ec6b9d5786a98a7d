package controlplane.internal;

import java.util.Map;
import java.util.Optional;

/** The plans a tenant can be on: expected load (for placement), isolation, and rate limits at the gateway. */
public final class Plans {

    /** One plan. */
    public record Plan(String name, double expectedLoad, boolean isolated, int requestsPerSecond, int burst) {}

    static final Map<String, Plan> PLANS = Map.of(
            "basic", new Plan("basic", 1.0, false, 50, 100),
            "pro", new Plan("pro", 5.0, false, 200, 400),
            "enterprise", new Plan("enterprise", 50.0, true, 2000, 4000));

    private Plans() {}

    public static Optional<Plan> byName(String name) {
        return Optional.ofNullable(name == null ? null : PLANS.get(name));
    }
}
