package tenancy.internal.messaging;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceMetrics;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.WithCaching;
import io.quarkus.runtime.ExecutorRecorder;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;
import platform.RoleGate;
import platform.StorefrontConfig;
import platform.bulkhead.TenantBulkhead;
import tenancy.CellHeartbeat;
import tenancy.CellSaturation;
import tenancy.internal.commandkey.CellCommandKey;
import tenancy.internal.load.ShopLoad;
import tenancy.internal.CellTenantRepository;

/**
 * Sends this cell's {@link CellHeartbeat} to the control plane (and the gateways) every
 * {@code HEARTBEAT_INTERVAL}, with the node's saturation ({@link CellSaturation}). Runs on cell nodes
 * only; if Kafka is unreachable the report is dropped (the next one replaces it).
 */
@ApplicationScoped
class HeartbeatPublisher {

    private static final Logger LOG = Logger.getLogger(HeartbeatPublisher.class);

    @Inject StorefrontConfig config;
    @Inject CellTenantRepository tenants;
    @Inject MeterRegistry registry;
    @Inject @WithCaching @DataSource("cell") Instance<AgroalDataSource> dataSource;
    @Inject Clock clock;
    @Inject CellCommandKey commandKey;
    @Inject TenantBulkhead bulkhead;
    @Inject ShopLoad shopLoad;

    @Inject
    @Channel("tenancy-heartbeats")
    Emitter<Record<String, CellHeartbeat>> emitter;

    private double lastRequestCount;
    private long lastSentNanos = System.nanoTime();

    @Scheduled(every = "${storefront.heartbeat-interval}", delayed = "1s",
               skipExecutionIf = RoleGate.NotCell.class, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @ActivateRequestContext
    void report() {
        String cellId = config.cell().value();
        double dbUtilisation = dbUtilisation(); // before this job takes a connection itself
        CellSaturation saturation = saturation();
        CellHeartbeat heartbeat = new CellHeartbeat(cellId, config.publicUrl(), tenants.countServed(),
                requestRate(), dbUtilisation, clock.instant(), commandKey(), saturation, shopLoad.report());
        emitter.send(Record.of(cellId, heartbeat)).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.debugf("Heartbeat of cell %s not delivered: %s", cellId, failure.getMessage());
            }
        });
    }

    private String commandKey() {
        try {
            return commandKey.publicKeyText();
        } catch (RuntimeException e) {
            LOG.debugf("Command key of cell %s not readable now: %s", config.cell().value(), e.getMessage());
            return null; // the cell is alive all the same; the key goes with a later report
        }
    }

    private synchronized double requestRate() {
        double count = Search.in(registry).name("http.server.requests").timers().stream()
                .mapToDouble(timer -> timer.count()).sum();
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastSentNanos) / 1e9);
        double rate = Math.max(0, count - lastRequestCount) / seconds;
        lastRequestCount = count;
        lastSentNanos = now;
        return Math.round(rate * 100) / 100.0;
    }

    /**
     * How busy the node is now: the requests it is serving (each runs on a worker of the pool; beyond
     * the pool's size they wait for one) against the pool's size, its database pool (with the
     * transactions waiting for a turn in the node's full bulkhead, ADR 0017), and the CPU load since
     * the previous report.
     */
    private CellSaturation saturation() {
        double serving = Search.in(registry).name("http.server.active.requests").longTaskTimers().stream()
                .mapToDouble(LongTaskTimer::activeTasks).sum();
        AgroalDataSourceMetrics db = dataSource.get().getMetrics();
        double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuLoad() : -1;
        // waiting for a connection: for the pool, or for a turn in the bulkhead that is full (not for a shop's own share)
        int dbWaiting = (int) Math.max(0, db.awaitingCount()) + bulkhead.waitingForCapacity();
        return new CellSaturation((int) serving, workerPoolSize(), (int) Math.max(0, db.activeCount()),
                dbWaiting, cpu < 0 ? -1 : Math.round(cpu * 1000) / 1000.0);
    }

    /** The size of the node's worker pool: {@code quarkus.thread-pool.max-threads}, else Quarkus's default for this machine. */
    private static int workerPoolSize() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.thread-pool.max-threads", Integer.class)
                .orElseGet(ExecutorRecorder::calculateMaxThreads);
    }

    private double dbUtilisation() {
        AgroalDataSource pool = dataSource.get();
        long active = pool.getMetrics().activeCount();
        int poolMax = pool.getConfiguration().connectionPoolConfiguration().maxSize();
        return poolMax == 0 ? 0 : Math.min(1.0, (double) Math.max(active, 0) / poolMax);
    }
}
