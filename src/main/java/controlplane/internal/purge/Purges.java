package controlplane.internal.purge;

import controlplane.internal.Tenant;
import controlplane.internal.TenantRegistry;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import platform.Outbox;
import platform.Problem;
import platform.ProblemException;
import tenancy.ProvisionTenant;
import tenancy.PurgeTenant;
import tenancy.TenantPurged;

/**
 * The control plane's side of a tenant purge (docs/adr/0032): asked for by an operator, it makes the tenant
 * {@code deleting} (gateways stop routing it at once), records the audit record with its deadline ({@link #DEADLINE}
 * after the request), and sends the tenant's cell a {@link PurgeTenant} command, again every {@link #RESEND_AFTER}
 * until the cell answers {@link TenantPurged}; then the tenant is {@code deleted} (domains released, no personal data
 * kept) and the record holds the cell's counts and the time the purge took. A tenant that never reached a cell is
 * deleted at once.
 */
@ApplicationScoped
public class Purges {

    private static final Logger LOG = Logger.getLogger(Purges.class);

    /** The most a purge may take (the law's 72 hours); the actual time is recorded beside it. */
    public static final Duration DEADLINE = Duration.ofHours(72);
    /** A cell that has not answered within this is sent the command again. */
    public static final Duration RESEND_AFTER = Duration.ofSeconds(15);

    @Inject @WithCaching @PersistenceUnit("control") Instance<EntityManager> controlEntityManager;
    @Inject TenantRegistry tenants;
    @Inject Outbox outbox;
    @Inject Clock clock;

    /** A purge's state: the tenant's and its audit record's. */
    public record Purge(Tenant tenant, PurgeRecord record, boolean started) {}

    /**
     * Purges a tenant (idempotent: a purge already asked for is returned as it is).
     *
     * @throws ProblemException 404 for an unknown tenant; 409 for one still being placed or provisioned
     */
    @Transactional
    public Purge request(UUID tenantId, String requestedBy) {
        Tenant tenant = tenants.lock(tenantId).orElseThrow(() -> ProblemException.notFound("No tenant " + tenantId + "."));
        PurgeRecord existing = em().find(PurgeRecord.class, tenantId);
        if (existing != null) {
            return new Purge(tenant, existing, false);
        }
        if ("deleted".equals(tenant.status)) {
            throw new ProblemException(Problem.of(410, "Gone", "Tenant " + tenantId + " was deleted before."));
        }
        Instant now = clock.instant();
        tenants.beginDeletion(tenant, "purge requested by " + requestedBy);
        PurgeRecord record = new PurgeRecord();
        record.tenantId = tenantId;
        record.cellId = tenant.cellId;
        record.commandId = UUID.randomUUID();
        record.requestedBy = requestedBy;
        record.requestedAt = now;
        record.deadlineAt = now.plus(DEADLINE);
        record.status = "purging";
        em().persist(record);
        if (tenant.cellId == null) {
            finish(tenant, record, new LinkedHashMap<>(), 0, 0, "purged: it was never on a cell");
        } else {
            send(tenant, record);
        }
        LOG.infof("Purge of tenant %s (%s) requested by %s", tenant.handle, tenantId, requestedBy);
        return new Purge(tenant, record, true);
    }

    /** The tenant's purge, if one was asked for. */
    @Transactional
    public Optional<PurgeRecord> get(UUID tenantId) {
        return Optional.ofNullable(em().find(PurgeRecord.class, tenantId));
    }

    /** The tenant's status now. */
    @Transactional
    public String status(UUID tenantId) {
        return tenants.get(tenantId).map(t -> t.status).orElse(null);
    }

    /** A cell's answer: the tenant is deleted, the record completed (a repeated answer changes nothing). */
    @Transactional
    public void purged(TenantPurged answer) {
        PurgeRecord record = em().find(PurgeRecord.class, answer.tenantId(), LockModeType.PESSIMISTIC_WRITE);
        if (record == null || !"purging".equals(record.status) || !answer.cellId().equals(record.cellId)) {
            return; // unknown, already done, or an answer from a cell the tenant is not on
        }
        Tenant tenant = tenants.lock(answer.tenantId()).orElseThrow();
        long rows = answer.rows() == null ? 0 : answer.rows().values().stream().mapToLong(Long::longValue).sum();
        finish(tenant, record, answer.rows() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(answer.rows()),
                answer.redisKeys(), answer.archives(), "purged by " + answer.cellId() + ": " + rows + " rows, "
                        + answer.redisKeys() + " Redis keys, " + answer.archives() + " archives");
    }

    /** Sends the command again to cells that have not answered within {@link #RESEND_AFTER}; returns how many. */
    @Transactional
    public int resendStale() {
        List<PurgeRecord> waiting = em().createQuery("from PurgeRecord where status = 'purging' and lastSentAt < :t",
                PurgeRecord.class).setParameter("t", clock.instant().minus(RESEND_AFTER)).setMaxResults(500).getResultList();
        for (PurgeRecord record : waiting) {
            send(em().find(Tenant.class, record.tenantId), record);
        }
        return waiting.size();
    }

    private void finish(Tenant tenant, PurgeRecord record, LinkedHashMap<String, Long> rows, long redisKeys, long archives,
                        String detail) {
        Instant now = clock.instant();
        record.status = "done";
        record.finishedAt = now;
        record.durationMs = Duration.between(record.requestedAt, now).toMillis();
        record.deletedRows = rows;
        record.redisKeys = redisKeys;
        record.archives = archives;
        tenants.deleted(tenant, detail);
        LOG.infof("Tenant %s purged in %d ms (deadline %s)", tenant.tenantId, record.durationMs, record.deadlineAt);
    }

    private void send(Tenant tenant, PurgeRecord record) {
        record.lastSentAt = clock.instant();
        outbox.record(tenant.tenantId, ProvisionTenant.topicFor(record.cellId), tenant.tenantId.toString(), PurgeTenant.TYPE,
                new PurgeTenant(record.commandId, record.cellId, tenant.tenantId, record.requestedAt));
    }

    private EntityManager em() {
        return controlEntityManager.get();
    }
}
