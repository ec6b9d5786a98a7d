package gateway.internal.admission;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** The limiter of a cell and its counters of shed requests and of requests that waited. */
    private record Cell(CellLimiter limiter, Counter shed, Counter waited) {}

    /** Why {@link #admitOrWait} failed: the request is shed (answer 503 with {@code Retry-After}). */
    public static final class Shed extends RuntimeException {
        Shed() {
            super("shed", null, false, false);
        }
    }

    private static final Shed SHED = new Shed();
    /** How often waiting requests are looked at for a pace that lets them start, in milliseconds. */
    static final long TICK_MILLIS = 5;

    private final AdmissionConfig config;
    private final NodeRole role;
    private final MeterRegistry metrics;
    private final LongSupplier nanoTime;
    private final CellLimiter.Settings settings;
    private final int minLimit;
    private final int initialLimit;
    private final int maxLimit;
    private final Map<String, Cell> cells = new ConcurrentHashMap<>();
    private final AtomicBoolean ticking = new AtomicBoolean();
    /** The gateway's event loop lag, nanoseconds (-1 while unknown). */
    private final LongSupplier loopLag;
    /** For the timers of waiting requests; null in unit tests of the immediate path. */
    private final Vertx vertx;

    @Inject
    public Admission(AdmissionConfig config, StorefrontConfig storefront, MeterRegistry metrics, Vertx vertx, LoopLag loopLag) {
        this(config, storefront.role(), storefront.heartbeatInterval(), metrics, System::nanoTime, vertx, loopLag::p99Nanos);
    }

    Admission(AdmissionConfig config, NodeRole role, Duration heartbeatInterval, MeterRegistry metrics, LongSupplier nanoTime) {
        this(config, role, heartbeatInterval, metrics, nanoTime, null, () -> -1);
    }

    /** With the cells' heartbeat interval (a report holds for three, as for the control plane's health), a clock and Vert.x for timers. */
    Admission(AdmissionConfig config, NodeRole role, Duration heartbeatInterval, MeterRegistry metrics, LongSupplier nanoTime,
              Vertx vertx) {
        this(config, role, heartbeatInterval, metrics, nanoTime, vertx, () -> -1);
    }

    /** And the gateway's event loop lag ({@link LoopLag#p99Nanos}) that the shops' paces follow. */
    Admission(AdmissionConfig config, NodeRole role, Duration heartbeatInterval, MeterRegistry metrics, LongSupplier nanoTime,
              Vertx vertx, LongSupplier loopLag) {
        this.config = config;
        this.loopLag = loopLag;
        this.vertx = vertx;
        this.role = role;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.settings = new CellLimiter.Settings(config.minLimit(), config.overshoot(), config.minShare(),
                config.saturatedCpu(), heartbeatInterval.multipliedBy(3).toNanos(), config.maxWaiting(), config.maxWaitingPerTenant(),
                config.neighbourLatencyRatio(), config.tenantStartRate(), config.tenantMinRate(), config.loopLagLimit().toNanos());
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
     * A permit for one request of the tenant to the cell: at once when the cell's limit and the shop's
     * pace allow it (not when the cell is at its limit and the shop over its fair share), else
     * after a wait of at most {@link AdmissionConfig#maxWait()} in the tenant's queue (ADR 0019);
     * failed with {@link Shed} when the queue is full or the wait runs out. Called on the request's
     * event loop; the future completes on it.
     */
    public Future<Permit> admitOrWait(String cellId, UUID tenantId) {
        return admitOrWait(cellId, tenantId, true);
    }

    /**
     * As {@link #admitOrWait(String, UUID)}, for a request kept to its shop's pace ({@code paced}: reads) or
     * not (writes such as carts and checkouts: priorities under overload shed them last).
     */
    public Future<Permit> admitOrWait(String cellId, UUID tenantId, boolean paced) {
        if (!config.enabled()) {
            return Future.succeededFuture(Permit.UNLIMITED);
        }
        Cell cell = cell(cellId);
        Permit now = cell.limiter().tryAcquire(tenantId, paced);
        if (now != null) {
            return Future.succeededFuture(now);
        }
        Context context = Vertx.currentContext();
        long maxWaitMillis = config.maxWait().toMillis();
        if (vertx == null || context == null || maxWaitMillis <= 0) {
            cell.shed().increment();
            return Future.failedFuture(SHED);
        }
        Promise<Permit> promise = Promise.promise();
        long[] timer = {-1};
        CellLimiter.Waiter waiter = cell.limiter().await(tenantId, paced, permit -> context.runOnContext(ignored -> {
            if (timer[0] >= 0) {
                vertx.cancelTimer(timer[0]);
            }
            if (!promise.tryComplete(permit)) {
                permit.failed(false);
            }
        }));
        if (waiter == null) {
            cell.shed().increment();
            return Future.failedFuture(SHED);
        }
        cell.waited().increment();
        timer[0] = vertx.setTimer(maxWaitMillis, id -> {
            if (cell.limiter().cancel(waiter)) {
                cell.shed().increment();
                promise.tryFail(SHED);
            }
        });
        return promise.future();
    }

    /**
     * Starts, once, the timer that lets waiting requests whose pace allows them by now start
     * ({@link CellLimiter#tick}): only while requests may wait and shops are paced.
     */
    private void startTicking() {
        if (vertx != null && config.maxWait().toMillis() > 0 && config.neighbourLatencyRatio() > 1
                && ticking.compareAndSet(false, true)) {
            vertx.setPeriodic(TICK_MILLIS, id -> cells.values().forEach(cell -> {
                if (cell.limiter().waiting() > 0) {
                    cell.limiter().tick();
                }
            }));
        }
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
        CellLimiter limiter = new CellLimiter(adaptiveLimit(minLimit, initialLimit, maxLimit), settings, nanoTime, loopLag);
        startTicking();
        Gauge.builder("gateway.admission.limit", limiter, CellLimiter::limit).tag("cell", cellId)
                .description("Requests this gateway lets be in flight to the cell at once").strongReference(true).register(metrics);
        Gauge.builder("gateway.admission.inflight", limiter, CellLimiter::inflight).tag("cell", cellId)
                .description("Requests in flight from this gateway to the cell").strongReference(true).register(metrics);
        Gauge.builder("gateway.admission.waiting", limiter, CellLimiter::waiting).tag("cell", cellId)
                .description("Requests waiting for a place at the cell").strongReference(true).register(metrics);
        Counter shed = Counter.builder("gateway.admission.shed").tag("cell", cellId)
                .description("Requests refused because the cell was at its limit and the tenant over its share").register(metrics);
        Counter waited = Counter.builder("gateway.admission.waited").tag("cell", cellId)
                .description("Requests that waited for a place at the cell (granted later, or shed when the wait ran out)")
                .register(metrics);
        return new Cell(limiter, shed, waited);
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
                    .put("tenants", s.tenants()).put("waiting", s.waiting())
                    .put("lightUsualMillis", s.lightUsualMillis()).put("lastVerdict", s.lastVerdict())
                    .put("paces", new JsonArray(s.paces().stream().map(r -> new JsonObject().put("tenantId", r.tenantId().toString())
                            .put("requestsPerSecond", r.requestsPerSecond()).put("held", r.held())).toList()))
                    .put("shed", (long) cell.shed().count())
                    .put("waited", (long) cell.waited().count());
            CellSaturation report = s.lastReport();
            if (report != null) {
                entry.put("saturation", new JsonObject().put("busyWorkers", report.busyWorkers()).put("maxWorkers", report.maxWorkers())
                        .put("dbActive", report.dbActive()).put("dbWaiting", report.dbWaiting()).put("cpu", report.cpu())
                        .put("saturated", cell.limiter().saturated(report)).put("ageMillis", s.reportAgeMillis()));
            }
            list.add(entry);
        });
        context.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("enabled", config.enabled())
                        .put("loopLagMillis", loopLag.getAsLong() < 0 ? null : loopLag.getAsLong() / 1_000_000.0)
                        .put("cells", list).encode());
    }
}
