package gateway.internal.admission;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.StorefrontConfig;
import tenancy.CellHeartbeat;
import tenancy.CellSaturation;

/**
 * The gateway's admission of requests to cells (ADR 0016): one {@link CellLimiter} per cell, with an
 * adaptive concurrency limit (Gradient2 on the latency this gateway observes, capped while the cell
 * reports saturation) and fair shares per tenant when the limit is reached. Only requests that go to
 * a cell ask for a {@link Permit}; answers from the edge cache never do.
 *
 * <p>Metrics per cell: {@code gateway.admission.limit}, {@code gateway.admission.inflight} and
 * {@code gateway.admission.shed} (no tenant tag: per-tenant numbers would be unbounded). The
 * operator's view {@code /q/gateway/admission}, on the management interface, shows each cell's
 * limit, cap, requests and tenants in flight and its latest saturation report.
 */
@Singleton
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    /** The limiter of a cell and its counter of shed requests. */
    private record Cell(CellLimiter limiter, Counter shed) {}

    private final AdmissionConfig config;
    private final NodeRole role;
    private final MeterRegistry metrics;
    private final LongSupplier nanoTime;
    private final CellLimiter.Settings settings;
    private final int minLimit;
    private final int initialLimit;
    private final int maxLimit;
    private final Map<String, Cell> cells = new ConcurrentHashMap<>();

    @Inject
    public Admission(AdmissionConfig config, StorefrontConfig storefront, MeterRegistry metrics) {
        this(config, storefront.role(), storefront.heartbeatInterval(), metrics, System::nanoTime);
    }

    /** With the cells' heartbeat interval (a report holds for three, as for the control plane's health) and a clock. */
    Admission(AdmissionConfig config, NodeRole role, Duration heartbeatInterval, MeterRegistry metrics, LongSupplier nanoTime) {
        this.config = config;
        this.role = role;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.settings = new CellLimiter.Settings(config.minLimit(), config.overshoot(), config.minShare(),
                config.saturatedCpu(), heartbeatInterval.multipliedBy(3).toNanos());
        this.minLimit = config.minLimit();
        this.maxLimit = Math.max(minLimit, config.maxLimit());
        this.initialLimit = Math.min(maxLimit, Math.max(minLimit, config.initialLimit()));
        if (config.enabled() && role == NodeRole.GATEWAY
                && (maxLimit != config.maxLimit() || initialLimit != config.initialLimit())) {
            LOG.warnf("Gateway admission: limits taken as min %d, initial %d, max %d (GATEWAY_ADMISSION_MIN_LIMIT <= "
                    + "GATEWAY_ADMISSION_INITIAL_LIMIT <= GATEWAY_ADMISSION_MAX_LIMIT)", minLimit, initialLimit, maxLimit);
        }
    }

    /**
     * A permit for one request of the tenant to the cell, or null when the cell is at its limit and the
     * tenant over its fair share (answer 503 with {@code Retry-After: }{@link #retryAfterSeconds()}).
     */
    public Permit admit(String cellId, UUID tenantId) {
        if (!config.enabled()) {
            return Permit.UNLIMITED;
        }
        Cell cell = cell(cellId);
        Permit permit = cell.limiter().tryAcquire(tenantId);
        if (permit == null) {
            cell.shed().increment();
        }
        return permit;
    }

    /** The {@code Retry-After} of a shed request, in seconds. */
    public int retryAfterSeconds() {
        return config.retryAfter();
    }

    /** Takes a cell's heartbeat: its saturation caps this gateway's limit for it. */
    void report(CellHeartbeat heartbeat) {
        if (config.enabled() && heartbeat.cellId() != null && heartbeat.saturation() != null) {
            cell(heartbeat.cellId()).limiter().report(heartbeat.saturation());
        }
    }

    private Cell cell(String cellId) {
        Cell cell = cells.get(cellId);
        return cell != null ? cell : cells.computeIfAbsent(cellId, this::create);
    }

    private Cell create(String cellId) {
        CellLimiter limiter = new CellLimiter(adaptiveLimit(minLimit, initialLimit, maxLimit), settings, nanoTime);
        Gauge.builder("gateway.admission.limit", limiter, CellLimiter::limit).tag("cell", cellId)
                .description("Requests this gateway lets be in flight to the cell at once").strongReference(true).register(metrics);
        Gauge.builder("gateway.admission.inflight", limiter, CellLimiter::inflight).tag("cell", cellId)
                .description("Requests in flight from this gateway to the cell").strongReference(true).register(metrics);
        Counter shed = Counter.builder("gateway.admission.shed").tag("cell", cellId)
                .description("Requests refused because the cell was at its limit and the tenant over its share").register(metrics);
        return new Cell(limiter, shed);
    }

    /**
     * The adaptive limit of a cell: Gradient2 (the library's default for servers: the limit follows the
     * ratio of the long-term to the current latency, with room for a small queue) over windows of at
     * least 10 samples and one second, between the configured minimum and maximum.
     */
    static Limit adaptiveLimit(int min, int initial, int max) {
        return WindowedLimit.newBuilder().build(Gradient2Limit.newBuilder()
                .minLimit(min).initialLimit(initial).maxConcurrency(max).build());
    }

    /** The operator's view, on gateways only. */
    void installView(@Observes ManagementInterface management) {
        if (role != NodeRole.GATEWAY) {
            return;
        }
        management.router().get("/q/gateway/admission").handler(this::view);
    }

    private void view(RoutingContext context) {
        JsonArray list = new JsonArray();
        new TreeMap<>(cells).forEach((id, cell) -> {
            CellLimiter.Snapshot s = cell.limiter().snapshot();
            JsonObject entry = new JsonObject().put("cellId", id).put("limit", s.limit()).put("adaptiveLimit", s.adaptiveLimit())
                    .put("cap", s.cap()).put("hardCap", cell.limiter().hardCap(s.limit())).put("inflight", s.inflight())
                    .put("tenants", s.tenants()).put("shed", (long) cell.shed().count());
            CellSaturation report = s.lastReport();
            if (report != null) {
                entry.put("saturation", new JsonObject().put("busyWorkers", report.busyWorkers()).put("maxWorkers", report.maxWorkers())
                        .put("dbActive", report.dbActive()).put("dbWaiting", report.dbWaiting()).put("cpu", report.cpu())
                        .put("saturated", cell.limiter().saturated(report)).put("ageMillis", s.reportAgeMillis()));
            }
            list.add(entry);
        });
        context.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("enabled", config.enabled()).put("cells", list).encode());
    }
}
