package platform.internal.idempotency;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import platform.BoundedDeletes;
import platform.RetentionConfig;
import platform.RoleGate;

/**
 * Deletes idempotency keys and their stored answers older than {@code IDEMPOTENCY_RETENTION} (a day: a client retries a
 * request within minutes, and a key used again after a day is a new request), on each cell node every
 * {@code RETENTION_EVERY}, over every shop of the cell in bounded batches, oldest first (through the index on their age;
 * the {@code app.idempotency_retention} policies admit reading and deleting them only).
 *
 * <p>Metrics: {@code platform.idempotency.deleted}.
 */
@ApplicationScoped
public class IdempotencyRetention {

    static final int BATCH = 1_000;
    /** Batches per run at most (a run also stops after {@link BoundedDeletes#RUN_BUDGET}). */
    static final int MAX_BATCHES = 500;

    @Inject RetentionConfig config;
    @Inject BoundedDeletes deletes;
    @Inject MeterRegistry registry;

    @Scheduled(identity = "idempotency-retention", every = "${storefront.retention.every}", delayed = "10s",
               skipExecutionIf = RoleGate.NotCell.class, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        double seconds = config.idempotencyKeys().toMillis() / 1000.0;
        long keys = deletes.run("Old idempotency keys", "app.idempotency_retention",
                "with old as (select tenant_id, idem_key from platform_idempotency where created_at < now() - make_interval(secs => ?)"
                        + " order by created_at limit " + BATCH + "), gone as (delete from platform_idempotency k using old"
                        + " where k.tenant_id = old.tenant_id and k.idem_key = old.idem_key returning 1) select count(*) from gone",
                BATCH, MAX_BATCHES, seconds);
        registry.counter("platform.idempotency.deleted").increment(keys);
    }
}
