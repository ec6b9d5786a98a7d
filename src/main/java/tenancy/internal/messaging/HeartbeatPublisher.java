package tenancy.internal.messaging;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.WithCaching;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;
import platform.RoleGate;
import platform.StorefrontConfig;
import tenancy.CellHeartbeat;
import tenancy.internal.commandkey.CellCommandKey;
import tenancy.internal.CellTenantRepository;

/**
 * Sends this cell's {@link CellHeartbeat} to the control plane every {@code HEARTBEAT_INTERVAL}.
 * Runs on cell nodes only; if Kafka is unreachable the report is dropped (the next one replaces it).
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
        CellHeartbeat heartbeat = new CellHeartbeat(cellId, config.publicUrl(), tenants.countServed(),
                requestRate(), dbUtilisation, clock.instant(), commandKey());
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

    private double dbUtilisation() {
        AgroalDataSource pool = dataSource.get();
        long active = pool.getMetrics().activeCount();
        int poolMax = pool.getConfiguration().connectionPoolConfiguration().maxSize();
        return poolMax == 0 ? 0 : Math.min(1.0, (double) Math.max(active, 0) / poolMax);
    }
}
