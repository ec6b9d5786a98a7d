package controlplane.internal;

import controlplane.internal.hot.HotTenants;
import controlplane.internal.placement.CellState;
import controlplane.internal.placement.Placement;
import controlplane.internal.placement.PlacementService;
import controlplane.internal.placement.TenantDemand;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import platform.Outbox;
import platform.Passwords;
import platform.Problem;
import platform.ProblemException;
import platform.SealedBox;
import platform.Secrets;
import platform.StorefrontConfig;
import tenancy.ProvisionTenant;
import tenancy.TenantProvisioned;
import tenancy.TenantRefused;
import tenancy.TenantRoute;

/**
 * The control plane's tenants: creation with placement, the provisioning state machine driven by
 * commands to cells and their acknowledgements, suspension, domains, and the routes gateways read.
 * Every step is idempotent; every state change is recorded in the tenant's history.
 */
@ApplicationScoped
public class TenantRegistry {

    private static final Logger LOG = Logger.getLogger(TenantRegistry.class);

    /** A tenant that was just created, with its owner's first password. */
    public record Created(Tenant tenant, String ownerPassword) {}

    @Inject @WithCaching @PersistenceUnit("control") Instance<EntityManager> controlEntityManager;
    @Inject PlacementService placement;
    @Inject HotTenants hotTenants;
    @Inject Outbox outbox;
    @Inject Passwords passwords;
    @Inject StorefrontConfig config;
    @Inject Clock clock;

    @Transactional
    public Created create(String handle, String plan, List<String> customDomains, String ownerEmail, String ownerName) {
        Plans.Plan planSpec = Plans.byName(plan).orElseThrow(() -> invalid("plan", "must be one of " + Plans.PLANS.keySet()));
        Handles.handleProblem(handle).ifPresent(p -> { throw invalid("handle", p); });
        if (!em().createQuery("select t.tenantId from Tenant t where t.handle = :h").setParameter("h", handle)
                .getResultList().isEmpty()) {
            throw ProblemException.conflict("The handle " + handle + " is taken.");
        }
        String platformHost = handle + "." + config.platformDomain().toLowerCase(Locale.ROOT);
        List<String> customs = new ArrayList<>();
        for (int i = 0; i < customDomains.size(); i++) {
            Handles.Result result = Handles.customDomain(customDomains.get(i), config.platformDomain());
            if (result.problem() != null) {
                throw invalid("domains[" + i + "]", result.problem());
            }
            if (customs.contains(result.host())) {
                throw invalid("domains[" + i + "]", "is listed twice");
            }
            customs.add(result.host());
        }
        for (String host : concat(platformHost, customs)) {
            if (em().find(Domain.class, host) != null) {
                throw ProblemException.conflict("The domain " + host + " belongs to another shop.");
            }
        }
        Instant now = clock.instant();
        String password = Secrets.randomToken("").substring(0, 20);
        Tenant tenant = new Tenant();
        tenant.tenantId = UUID.randomUUID();
        tenant.handle = handle;
        tenant.plan = plan;
        tenant.status = "requested";
        tenant.ownerEmail = ownerEmail.strip().toLowerCase(Locale.ROOT);
        tenant.ownerName = ownerName == null || ownerName.isBlank() ? tenant.ownerEmail : ownerName.strip();
        tenant.ownerPasswordHash = passwords.hash(password);
        tenant.createdAt = now;
        tenant.updatedAt = now;
        em().persist(tenant);
        history(tenant, null, "requested", "created by the operator API (plan " + plan + ")");
        addDomain(tenant, platformHost, "platform", true);
        customs.forEach(host -> addDomain(tenant, host, "custom", false));
        move(tenant, "placing", "choosing a cell");
        Optional<Placement> chosen = placement.place(cellStates(), new TenantDemand(plan, planSpec.isolated(), planSpec.expectedLoad()));
        if (chosen.isEmpty()) {
            throw new ProblemException(Problem.of(503, "No capacity",
                    "No cell can take a " + plan + " shop now (all are full, draining, unhealthy or, for isolated plans, none is free)."));
        }
        tenant.cellId = chosen.get().cellId();
        move(tenant, "provisioning", "placed on " + tenant.cellId + ": " + chosen.get().reason());
        em().flush();
        sendProvisioning(tenant);
        return new Created(tenant, password);
    }

    @Transactional
    public Optional<Tenant> get(UUID tenantId) {
        return Optional.ofNullable(em().find(Tenant.class, tenantId));
    }

    @Transactional
    public List<Domain> domains(UUID tenantId) {
        return em().createQuery("from Domain where tenantId = :t order by kind desc, host", Domain.class)
                .setParameter("t", tenantId).getResultList();
    }

    @Transactional
    public List<TenantHistory> history(UUID tenantId) {
        return em().createQuery("from TenantHistory where tenantId = :t order by seq", TenantHistory.class)
                .setParameter("t", tenantId).getResultList();
    }

    @Transactional
    public List<Tenant> list(Optional<String> cell, Optional<String> status, Optional<String> afterHandle, int limit) {
        StringBuilder q = new StringBuilder("from Tenant t where 1 = 1");
        cell.ifPresent(c -> q.append(" and t.cellId = :cell"));
        status.ifPresent(s -> q.append(" and t.status = :status"));
        afterHandle.ifPresent(a -> q.append(" and t.handle > :after"));
        q.append(" order by t.handle");
        var query = em().createQuery(q.toString(), Tenant.class).setMaxResults(limit + 1);
        cell.ifPresent(c -> query.setParameter("cell", c));
        status.ifPresent(s -> query.setParameter("status", s));
        afterHandle.ifPresent(a -> query.setParameter("after", a));
        return query.getResultList();
    }

    /** Suspends or resumes a tenant; gateways stop (or resume) routing to it, and its cell refuses (or serves) it. */
    @Transactional
    public Optional<Tenant> setSuspended(UUID tenantId, boolean suspended) {
        Tenant tenant = em().find(Tenant.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            return Optional.empty();
        }
        String next = suspended ? "suspended" : "active";
        if (tenant.status.equals(next)) {
            return Optional.of(tenant);
        }
        if (!tenant.canBecome(next)) {
            throw ProblemException.conflict("A " + tenant.status + " shop cannot become " + next + ".");
        }
        move(tenant, next, suspended ? "suspended by the operator" : "resumed by the operator");
        sendProvisioning(tenant); // the cell refuses (or serves again) direct requests too
        publishRoutes(tenant);
        return Optional.of(tenant);
    }

    /**
     * Starts a tenant's deletion (joining the caller's transaction): the tenant becomes {@code deleting} and every
     * gateway stops routing its hosts at once (their routes are removed, which drops their edge-cache entries too).
     * A tenant already deleting or deleted is left as it is.
     *
     * @throws ProblemException 409 if the tenant is still being placed or provisioned
     */
    @Transactional
    public Tenant beginDeletion(Tenant tenant, String detail) {
        if ("deleting".equals(tenant.status) || "deleted".equals(tenant.status)) {
            return tenant;
        }
        if (!tenant.canBecome("deleting")) {
            throw ProblemException.conflict("A " + tenant.status + " shop cannot be purged yet: wait until it is active or failed.");
        }
        move(tenant, "deleting", detail);
        if (tenant.cellId != null) {
            for (Domain domain : domains(tenant.tenantId)) {
                if (domain.verified) {
                    publishRoute(tenant, domain.host, "removed");
                }
            }
        }
        return tenant;
    }

    /**
     * Ends a tenant's deletion (joining the caller's transaction): {@code deleted}, its domains released (another shop
     * may take them), and no personal data kept (its owner's name and email cleared).
     */
    @Transactional
    public void deleted(Tenant tenant, String detail) {
        if (!"deleting".equals(tenant.status)) {
            return;
        }
        for (Domain domain : domains(tenant.tenantId)) {
            em().remove(domain);
        }
        tenant.ownerEmail = null;
        tenant.ownerName = null;
        tenant.ownerPasswordHash = null;
        move(tenant, "deleted", detail);
    }

    /** Locks and returns a tenant (empty: unknown). */
    @Transactional
    public Optional<Tenant> lock(UUID tenantId) {
        return Optional.ofNullable(em().find(Tenant.class, tenantId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Overrides (or, with nulls, resets to the plan's) a tenant's rate limits; gateways apply them at once. */
    @Transactional
    public Optional<Tenant> setLimits(UUID tenantId, Integer requestsPerSecond, Integer burst) {
        Tenant tenant = em().find(Tenant.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            return Optional.empty();
        }
        tenant.rateLimitRps = requestsPerSecond;
        tenant.rateLimitBurst = burst;
        tenant.updatedAt = clock.instant();
        history(tenant, tenant.status, tenant.status, "rate limit set to " + tenant.requestsPerSecond() + "/s, burst "
                + tenant.burst() + (requestsPerSecond == null && burst == null ? " (the plan's)" : " (override)"));
        if ("active".equals(tenant.status) || "suspended".equals(tenant.status)) {
            publishRoutes(tenant);
        }
        return Optional.of(tenant);
    }

    /** Adds an unverified custom domain; it is routed once verified. */
    @Transactional
    public Optional<Domain> addCustomDomain(UUID tenantId, String raw) {
        Tenant tenant = em().find(Tenant.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            return Optional.empty();
        }
        Handles.Result result = Handles.customDomain(raw, config.platformDomain());
        if (result.problem() != null) {
            throw invalid("host", result.problem());
        }
        Domain existing = em().find(Domain.class, result.host());
        if (existing != null) {
            if (existing.tenantId.equals(tenantId)) {
                return Optional.of(existing);
            }
            throw ProblemException.conflict("The domain " + result.host() + " belongs to another shop.");
        }
        Domain domain = addDomain(tenant, result.host(), "custom", false);
        history(tenant, tenant.status, tenant.status, "domain " + domain.host + " added (unverified)");
        return Optional.of(domain);
    }

    /** Marks a custom domain verified: it is routed and the cell serves it. */
    @Transactional
    public Optional<Domain> verifyDomain(UUID tenantId, String host) {
        Tenant tenant = em().find(Tenant.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        Domain domain = tenant == null ? null : em().find(Domain.class, normalised(host));
        if (domain == null || !domain.tenantId.equals(tenantId)) {
            return Optional.empty();
        }
        if (!domain.verified) {
            domain.verified = true;
            history(tenant, tenant.status, tenant.status, "domain " + domain.host + " verified");
            sendProvisioning(tenant);
            publishRoutes(tenant);
        }
        return Optional.of(domain);
    }

    /** Removes a custom domain (the platform host stays). */
    @Transactional
    public boolean removeDomain(UUID tenantId, String host) {
        Tenant tenant = em().find(Tenant.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        Domain domain = tenant == null ? null : em().find(Domain.class, normalised(host));
        if (domain == null || !domain.tenantId.equals(tenantId)) {
            return false;
        }
        if ("platform".equals(domain.kind)) {
            throw ProblemException.conflict("The platform host of a shop cannot be removed.");
        }
        em().remove(domain);
        em().flush();
        history(tenant, tenant.status, tenant.status, "domain " + domain.host + " removed");
        if (domain.verified) {
            sendProvisioning(tenant);
            publishRoute(tenant, domain.host, "removed");
        }
        return true;
    }

    /** A cell acknowledged a tenant: it becomes active (once) and its routes are published. */
    @Transactional
    public void acknowledged(TenantProvisioned ack) {
        Tenant tenant = em().find(Tenant.class, ack.tenantId(), LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null || !"provisioning".equals(tenant.status) || !ack.cellId().equals(tenant.cellId)) {
            return; // unknown, already active, or an acknowledgement from a cell the tenant is not placed on
        }
        tenant.activatedAt = clock.instant();
        tenant.ownerPasswordHash = null; // the cell has the owner now; the control plane keeps no credential
        move(tenant, "active", "acknowledged by " + ack.cellId());
        publishRoutes(tenant);
    }

    /**
     * A cell refused a tenant's command. A tenant still provisioning on that cell becomes failed with
     * the cell's reason (and is no longer sent the command); for a tenant already served (a refused
     * change, such as a newly verified domain) the refusal is recorded in its history.
     */
    @Transactional
    public void refused(TenantRefused refusal) {
        Tenant tenant = em().find(Tenant.class, refusal.tenantId(), LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null || !refusal.cellId().equals(tenant.cellId)) {
            return;
        }
        String detail = "refused by " + refusal.cellId() + ": " + Objects.requireNonNullElse(refusal.reason(), "no reason given");
        detail = detail.length() > 500 ? detail.substring(0, 500) : detail;
        if ("provisioning".equals(tenant.status)) {
            tenant.ownerPasswordHash = null;
            move(tenant, "failed", detail);
        } else if (!"failed".equals(tenant.status)) {
            LOG.warnf("Tenant %s (%s): %s", tenant.handle, tenant.tenantId, detail);
            history(tenant, tenant.status, tenant.status, detail);
        }
    }

    /** Sends the provisioning command again for tenants still waiting on their cell (it may have been down). */
    @Transactional
    public int resendStaleProvisioning(Duration olderThan) {
        List<Tenant> waiting = em().createQuery("from Tenant where status = 'provisioning' and updatedAt < :t", Tenant.class)
                .setParameter("t", clock.instant().minus(olderThan)).setMaxResults(500).getResultList();
        for (Tenant tenant : waiting) {
            tenant.updatedAt = clock.instant();
            sendProvisioning(tenant);
        }
        return waiting.size();
    }

    /** What is placed on a cell: its tenants and the load their plans expect. */
    public record Placed(long tenants, double expectedLoad) {}

    /** Tenants and their plans' expected load per cell, in one query (for placement and the cells view). */
    @Transactional
    public Map<String, Placed> placedPerCell() {
        Map<String, Placed> placed = new HashMap<>();
        for (Object[] row : em().createQuery("select t.cellId, t.plan, count(t) from Tenant t where t.cellId is not null"
                + " and t.status not in ('failed', 'deleting', 'deleted') group by t.cellId, t.plan", Object[].class).getResultList()) {
            long count = (Long) row[2];
            double perTenant = Plans.byName((String) row[1]).map(Plans.Plan::expectedLoad).orElse(1.0);
            placed.merge((String) row[0], new Placed(count, perTenant * count),
                    (a, b) -> new Placed(a.tenants() + b.tenants(), a.expectedLoad() + b.expectedLoad()));
        }
        return placed;
    }

    /**
     * The cells as placement sees them (locked, so that concurrent creations place one after the
     * other). A cell's load is what it reports, but at least what its tenants' plans expect, so that
     * shops placed a moment ago count before they have traffic.
     */
    List<CellState> cellStates() {
        Map<String, Placed> placed = placedPerCell();
        Placed none = new Placed(0, 0);
        Instant now = clock.instant();
        Map<String, Double> hot = hotTenants.candidateShareByCell();
        return em().createQuery("from Cell c order by c.id", Cell.class).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList().stream()
                .map(c -> new CellState(c.id, c.capacityTenants, c.capacityLoad, c.dedicated, "draining".equals(c.state),
                        CellRepository.healthy(c, now, config.heartbeatInterval()),
                        Math.max(placed.getOrDefault(c.id, none).tenants(), c.reportedTenants),
                        Math.max(c.reportedRequestRate, placed.getOrDefault(c.id, none).expectedLoad()),
                        c.reportedDbUtilisation, !hotTenants.takesNewShops(hot.getOrDefault(c.id, 0.0))))
                .toList();
    }

    /**
     * Sends the tenant's provisioning command to its cell's topic. The owner's password hash, while the
     * control plane still holds it, travels sealed for the cell's command key (bound to the tenant id);
     * until a heartbeat of the cell has brought that key, nothing is sent and the periodic resend of
     * tenants still provisioning sends it later.
     */
    private void sendProvisioning(Tenant tenant) {
        String credential = null;
        if (tenant.ownerPasswordHash != null) {
            Cell cell = em().find(Cell.class, tenant.cellId);
            Optional<PublicKey> key = cell == null || cell.commandKey == null ? Optional.empty() : SealedBox.publicKey(cell.commandKey);
            if (key.isEmpty()) {
                LOG.infof("Provisioning of %s waits for the command key of cell %s", tenant.handle, tenant.cellId);
                return;
            }
            credential = SealedBox.seal(tenant.ownerPasswordHash, key.get(), tenant.tenantId.toString());
        }
        List<String> hosts = em().createQuery("select d.host from Domain d where d.tenantId = :t and d.verified = true"
                        + " order by d.host", String.class).setParameter("t", tenant.tenantId).getResultList();
        outbox.record(tenant.tenantId, ProvisionTenant.topicFor(tenant.cellId), tenant.tenantId.toString(), ProvisionTenant.TYPE,
                new ProvisionTenant(UUID.randomUUID(), tenant.cellId, tenant.tenantId, tenant.handle, tenant.plan, hosts,
                        tenant.ownerEmail, tenant.ownerName, credential,
                        "suspended".equals(tenant.status) ? "suspended" : "active"));
    }

    private void publishRoutes(Tenant tenant) {
        for (Domain domain : domains(tenant.tenantId)) {
            if (domain.verified) {
                publishRoute(tenant, domain.host, tenant.status);
            }
        }
    }

    private void publishRoute(Tenant tenant, String host, String status) {
        Cell cell = em().find(Cell.class, tenant.cellId);
        outbox.record(tenant.tenantId, TenantRoute.TOPIC, host, TenantRoute.TYPE,
                new TenantRoute(host, tenant.tenantId, tenant.handle, tenant.cellId, cell.baseUrl, status,
                        tenant.requestsPerSecond(), tenant.burst()));
    }

    private Domain addDomain(Tenant tenant, String host, String kind, boolean verified) {
        Domain domain = new Domain();
        domain.host = host;
        domain.tenantId = tenant.tenantId;
        domain.kind = kind;
        domain.verified = verified;
        domain.verificationToken = Secrets.randomToken("sf-verify-").substring(0, 40);
        domain.createdAt = clock.instant();
        em().persist(domain);
        return domain;
    }

    private void move(Tenant tenant, String next, String detail) {
        if (!tenant.canBecome(next)) {
            throw new IllegalStateException(tenant.status + " -> " + next);
        }
        String previous = tenant.status;
        tenant.status = next;
        tenant.statusReason = detail;
        tenant.updatedAt = clock.instant();
        history(tenant, previous, next, detail);
    }

    private void history(Tenant tenant, String from, String to, String detail) {
        TenantHistory step = new TenantHistory();
        step.tenantId = tenant.tenantId;
        step.at = clock.instant();
        step.fromStatus = from;
        step.toStatus = to;
        step.detail = detail.length() > 500 ? detail.substring(0, 500) : detail;
        em().persist(step);
    }

    private static String normalised(String host) {
        return platform.HostNames.normalise(host).orElse("");
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    static ProblemException invalid(String field, String message) {
        return ProblemException.invalidField(field, message);
    }

    private EntityManager em() {
        return controlEntityManager.get();
    }
}
