package tenancy.internal;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;
import platform.Outbox;
import platform.PasswordHashes;
import platform.SealedBox;
import platform.StorefrontConfig;
import tenancy.ProvisionTenant;
import tenancy.TenantDirectory;
import tenancy.TenantProvisioned;
import tenancy.TenantRefused;
import tenancy.internal.commandkey.CellCommandKey;
import tenancy.TenantTransactional;

/**
 * The cell side of provisioning: creates the tenant's directory records, host names and first staff
 * account, and acknowledges through the outbox, all in one transaction. Repeating a command changes
 * nothing and acknowledges again.
 */
@ApplicationScoped
public class TenantProvisioner {

    private static final Logger LOG = Logger.getLogger(TenantProvisioner.class);

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject Outbox outbox;
    @Inject StorefrontConfig config;
    @Inject TenantDirectory directory;
    @Inject Clock clock;
    @Inject CellCommandKey commandKey;

    /** Thrown for a command this cell can never carry out; the reason goes back to the control plane. */
    public static class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }
    }

    /** Thrown when a host name of the command already belongs to another tenant of this cell. */
    public static class HostTaken extends Refused {
        public HostTaken(String host) {
            super("host " + host + " already belongs to another tenant");
        }
    }

    /**
     * Thrown when the owner's credential was sealed for another command key than this cell's (the
     * control plane had an older key): not a refusal, since the control plane seals it again for the
     * key of the cell's next heartbeat when it sends the command again.
     */
    public static class SealedForAnotherKey extends RuntimeException {
        public SealedForAnotherKey(String detail) {
            super(detail);
        }
    }

    @TenantTransactional
    public void provision(ProvisionTenant command) {
        String tenant = command.tenantId().toString();
        String status = command.suspended() ? "suspended" : "active";
        entityManager().createNativeQuery("insert into tenancy_tenant (tenant_id, handle, status, plan)"
                        + " values (?1, ?2, ?3, ?4) on conflict (tenant_id) do update set status = excluded.status,"
                        + " plan = excluded.plan")
                .setParameter(1, tenant).setParameter(2, command.handle()).setParameter(3, status)
                .setParameter(4, command.plan()).executeUpdate();
        for (String host : command.hosts()) {
            int inserted = entityManager().createNativeQuery("insert into tenancy_host (host, tenant_id) values (?1, ?2)"
                            + " on conflict (host) do nothing")
                    .setParameter(1, host).setParameter(2, tenant).executeUpdate();
            if (inserted == 0) {
                Object owner = entityManager().createNativeQuery("select tenant_id::text from tenancy_host where host = ?1")
                        .setParameter(1, host).getSingleResult();
                if (!tenant.equals(owner)) {
                    throw new HostTaken(host);
                }
            }
        }
        // the command lists all the tenant's hosts: a host no longer listed stops resolving here
        entityManager().createNativeQuery("delete from tenancy_host where tenant_id = cast(:tenant as uuid) and host not in (:hosts)")
                .setParameter("tenant", tenant).setParameter("hosts", command.hosts()).executeUpdate();
        String email = command.ownerEmail().trim().toLowerCase(Locale.ROOT);
        List<?> existing = entityManager().createQuery("select s.staffId from Staff s where s.email = :email")
                .setParameter("email", email).getResultList();
        if (existing.isEmpty()) {
            Staff owner = new Staff();
            owner.staffId = UUID.randomUUID();
            owner.email = email;
            owner.name = command.ownerName() == null || command.ownerName().isBlank() ? email : command.ownerName();
            owner.passwordHash = ownerPasswordHash(command);
            owner.role = "owner";
            owner.createdAt = clock.instant();
            entityManager().persist(owner);
        }
        outbox.record(command.tenantId(), TenantProvisioned.TOPIC, tenant, "TenantProvisioned",
                new TenantProvisioned(command.commandId(), command.tenantId(), config.cell().value(), command.handle()));
        directory.invalidate();
        LOG.infof("Tenant %s (%s) is %s by this cell", command.handle(), tenant,
                command.suspended() ? "suspended" : "served");
    }

    /**
     * Answers a command this cell can never carry out with a {@link TenantRefused} event through the
     * outbox (its own transaction: the failed attempt's was rolled back), so that the control plane
     * stops sending it and records why.
     */
    @TenantTransactional
    public void refuse(ProvisionTenant command, String reason) {
        outbox.record(command.tenantId(), TenantProvisioned.TOPIC, command.tenantId().toString(), TenantRefused.TYPE,
                new TenantRefused(command.commandId(), command.tenantId(), config.cell().value(), command.handle(), reason));
        LOG.warnf("Refused tenancy command %s for tenant %s (%s): %s", command.commandId(), command.tenantId(),
                command.handle(), reason);
    }

    /** The owner's password hash, opened from the command's credential sealed for this cell. */
    private String ownerPasswordHash(ProvisionTenant command) {
        if (command.ownerCredential() == null) {
            throw new Refused("the shop's owner is not on this cell and the command carries no owner credential");
        }
        String hash;
        try {
            hash = commandKey.open(command.ownerCredential(), command.tenantId().toString());
        } catch (SealedBox.Unsealable e) {
            String keyId = SealedBox.recipientKeyId(command.ownerCredential()).orElse(null);
            if (keyId != null && !keyId.equals(commandKey.keyId())) {
                throw new SealedForAnotherKey("owner credential sealed for key " + keyId + ", this cell's is " + commandKey.keyId());
            }
            throw new Refused("the owner credential cannot be opened by this cell: " + e.getMessage());
        }
        if (!PasswordHashes.isHash(hash)) {
            throw new Refused("the owner credential is not a password hash");
        }
        return hash;
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
