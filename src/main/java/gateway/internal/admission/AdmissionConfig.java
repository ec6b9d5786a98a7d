package gateway.internal.admission;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * The gateway's admission of requests to cells ({@code GATEWAY_ADMISSION_*}, ADR 0016): a concurrency
 * limit per cell that adapts to the latency this gateway observes, between a minimum and a maximum,
 * fair shares of it per tenant when it is reached, and a bounded wait for a place (ADR 0019).
 */
@ConfigMapping(prefix = "gateway.admission")
public interface AdmissionConfig {

    /** Whether requests to cells are admitted by the limit at all ({@code GATEWAY_ADMISSION_ENABLED}); off: all are forwarded. */
    boolean enabled();

    /** The lowest the limit of one cell goes, in requests in flight from this gateway ({@code GATEWAY_ADMISSION_MIN_LIMIT}). */
    @Min(1)
    int minLimit();

    /** The highest the limit of one cell goes ({@code GATEWAY_ADMISSION_MAX_LIMIT}); at least the minimum. */
    @Min(1)
    @Max(100_000)
    int maxLimit();

    /** The limit of a cell before any latency was observed ({@code GATEWAY_ADMISSION_INITIAL_LIMIT}); kept within min and max. */
    @Min(1)
    int initialLimit();

    /**
     * How far over the limit a cell may go for tenants within their fair share, as a factor of the limit
     * ({@code GATEWAY_ADMISSION_OVERSHOOT}; 1.25: up to a quarter more); 1 sheds everyone at the limit.
     */
    @DecimalMin("1.0")
    @DecimalMax("4.0")
    double overshoot();

    /** The smallest fair share of a tenant, in requests in flight, however many tenants share the cell ({@code GATEWAY_ADMISSION_MIN_SHARE}). */
    @Min(1)
    int minShare();

    /** The {@code Retry-After} of a shed request, in seconds ({@code GATEWAY_ADMISSION_RETRY_AFTER}). */
    @Min(1)
    @Max(3_600)
    int retryAfter();

    /**
     * The CPU load (0..1) at or above which a cell's report counts as saturated
     * ({@code GATEWAY_ADMISSION_SATURATED_CPU}); so does a report of any thread waiting for a database
     * connection, or of every worker busy.
     */
    @DecimalMin("0.0")
    @DecimalMax("1.0")
    double saturatedCpu();

    /**
     * How long a request that is not admitted at once may wait for a place at its cell before it is
     * shed ({@code GATEWAY_ADMISSION_MAX_WAIT}; 0: shed at once, as without a queue).
     */
    Duration maxWait();

    /** Requests that may wait for one cell at once, all tenants together ({@code GATEWAY_ADMISSION_MAX_WAITING}). */
    @Min(0)
    @Max(100_000)
    int maxWaiting();

    /** Requests of one tenant that may wait for one cell at once ({@code GATEWAY_ADMISSION_MAX_WAITING_PER_TENANT}). */
    @Min(0)
    @Max(100_000)
    int maxWaitingPerTenant();

    /**
     * The ratio of the light shops' latency at a cell (requests of shops within their pace and with at
     * most their minimum share in flight) to its usual level at and above which the paces of the shops
     * held back by theirs fall, in proportion ({@code GATEWAY_ADMISSION_NEIGHBOUR_LATENCY_RATIO}, ADR
     * 0019); 0 (or anything up to 1) turns pacing off.
     */
    @DecimalMin("0.0")
    @DecimalMax("100.0")
    double neighbourLatencyRatio();

    /**
     * The pace of a shop this gateway has not sent to the cell lately, in requests per second
     * ({@code GATEWAY_ADMISSION_TENANT_START_RATE}); it grows while the neighbours' latency allows.
     */
    @DecimalMin("1.0")
    double tenantStartRate();

    /** The lowest pace a shop's is cut to, in requests per second ({@code GATEWAY_ADMISSION_TENANT_MIN_RATE}). */
    @DecimalMin("0.1")
    double tenantMinRate();

    /**
     * The lateness of the gateway's event loops (99th percentile per second) at and above which the shops
     * held back by their pace are slowed, whatever their neighbours at the cell feel
     * ({@code GATEWAY_ADMISSION_LOOP_LAG_LIMIT}, ADR 0022): every answer of the gateway waits that long;
     * {@code 0s}: not followed.
     */
    Duration loopLagLimit();
}
