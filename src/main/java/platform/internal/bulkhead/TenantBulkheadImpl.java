package platform.internal.bulkhead;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.Problem;
import platform.ProblemException;
import platform.StorefrontConfig;
import platform.bulkhead.TenantBulkhead;
import platform.bulkhead.TrafficClass;
import platform.load.RecentLoad;
import platform.internal.web.DatabaseUnavailable;

/**
 * {@link TenantBulkhead} of a cell node: one {@link Limiter} over the cell datasource's pool (its
 * maximum size less the configured headroom), a permit per admitted transaction, given back when the
 * transaction completes; the time it was held is the tenant's database time ({@link RecentLoad}).
 *
 * <p>Metrics: {@code cell.bulkhead.wait} (timer: the wait for a permit, tags {@code class} and
 * {@code outcome}: admitted, tenant-limit, overloaded), {@code cell.bulkhead.held} (timer: how long
 * admitted transactions held their permit, tag {@code class}), gauges {@code cell.bulkhead.in.flight}
 * and {@code cell.bulkhead.waiting} (tag {@code class}), {@code cell.bulkhead.busy.tenants},
 * {@code cell.bulkhead.tenant.share} and {@code cell.bulkhead.capacity}, and the counter
 * {@code cell.bulkhead.timeouts} (tags {@code class}, {@code kind}: statement, lock) of statements the
 * database cut. No metric is tagged by tenant: per-tenant time is in the bounded
 * {@link #heaviestTenants} view instead.
 */
@ApplicationScoped
class TenantBulkheadImpl implements TenantBulkhead {

    private static final Logger LOG = Logger.getLogger(TenantBulkheadImpl.class);

    /** The transaction's resource holding its admission. */
    private static final Object ADMITTED = TenantBulkheadImpl.class.getName() + ".admitted";
    /** The transaction's resource naming the tenant its connection is bound to. */
    private static final Object BOUND = TenantBulkheadImpl.class.getName() + ".bound";
    /** One round trip binds a transaction to its tenant and sets the limits of its class, all transaction-local. */
    static final String BIND = "select set_config('app.tenant_id', ?, true), " + Admission.SET_LIMITS;
    /** PostgreSQL's query_canceled: here, a statement cut by its statement_timeout. */
    static final String QUERY_CANCELED = "57014";
    /** PostgreSQL's lock_not_available: a lock wait cut by lock_timeout. */
    static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Retry-After of a refusal. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(DatabaseUnavailable.RETRY_AFTER_SECONDS);
    /** Retry-After of an admin query cut by its statement timeout: the same query again soon would only load the cell again. */
    static final Duration ADMIN_QUERY_RETRY_AFTER = Duration.ofSeconds(5);
    /** Tenants counted by the database-time sketch, and the length of its windows. */
    static final int HEAVY_HITTERS = 64;
    static final Duration DATABASE_TIME_WINDOW = Duration.ofSeconds(10);

    @Inject BulkheadConfig config;
    @Inject StorefrontConfig node;
    @Inject TransactionSynchronizationRegistry transactions;
    @Inject CurrentTraffic current;
    @Inject MeterRegistry registry;
    /** Looked up on use: the cell datasource is inactive on other roles, where no permit is ever taken. */
    @Inject @DataSource("cell") Instance<AgroalDataSource> cellDataSource;

    private final RecentLoad databaseTime = new RecentLoad(HEAVY_HITTERS, DATABASE_TIME_WINDOW, System::nanoTime);
    private volatile Limiter limiter;
    private final Map<TrafficClass, Map<Limiter.Outcome, Timer>> waits = new EnumMap<>(TrafficClass.class);
    private final Map<TrafficClass, Timer> holds = new EnumMap<>(TrafficClass.class);
    private final Map<TrafficClass, Counter> throttled = new EnumMap<>(TrafficClass.class);
    /** Per class with a database time budget ({@code tenantDatabaseTime > 0}); filled with the limiter. */
    private final Map<TrafficClass, DatabaseTimeBudget> budgets = new EnumMap<>(TrafficClass.class);

    /**
     * An admitted transaction, with the turn in its tenant's database time budget it counts against (null: the class
     * has none), and whether it is the transaction's own (charged when it completes) rather than its request's.
     */
    private record Admitted(Admission admission, Limiter.Permit permit, Optional<UUID> tenant, long admittedAt,
                            RequestCost cost, boolean ownCost) {}

    @Override
    public void bindTenant(Connection connection, UUID tenant, Admission limits) throws SQLException {
        if (boundTo(tenant)) {
            return;
        }
        try (PreparedStatement bind = connection.prepareStatement(BIND)) {
            bind.setString(1, tenant.toString());
            limits.bindLimits(bind, 2);
            bind.execute();
        }
        transactions.putResource(BOUND, tenant);
    }

    @Override
    public boolean boundTo(UUID tenant) {
        return transactions.getTransactionKey() != null && tenant.equals(transactions.getResource(BOUND));
    }

    @Override
    public Admission admitTransaction(Optional<UUID> tenant) {
        if (transactions.getTransactionKey() == null) {
            throw new IllegalStateException("database work is admitted inside its transaction");
        }
        if (transactions.getResource(ADMITTED) instanceof Admitted admitted) {
            return admitted.admission();
        }
        TrafficClass trafficClass = currentClass();
        BulkheadConfig.ClassSettings settings = config.of(trafficClass);
        Admission admission = new Admission(trafficClass, settings.statementTimeout(), settings.lockTimeout(),
                settings.parallelWorkers(), settings.genericPlans());
        if (node.role() != NodeRole.CELL) {
            transactions.putResource(ADMITTED, new Admitted(admission, null, tenant, System.nanoTime(), null, false));
            return admission;
        }
        Limiter limits = limiter();
        long start = System.nanoTime();
        Limiter.Permit permit = null;
        RequestCost cost = null;
        boolean ownCost = false;
        if (config.enabled()) {
            UUID id = tenant.orElse(null);
            CurrentTraffic request = requestTraffic();
            RequestCost held = request == null || id == null ? null : request.cost();
            boolean fresh = false;
            if (held != null && held.covers(id, trafficClass)) {
                cost = held; // the request's turn was taken by its first transaction
            } else if (id != null && budgets.containsKey(trafficClass)) {
                cost = new RequestCost(budgets.get(trafficClass), id, trafficClass, awaitBudget(trafficClass, settings, id, start));
                fresh = true;
                ownCost = request == null || held != null;
                if (!ownCost) {
                    request.cost(cost);
                }
            }
            try {
                permit = limits.acquire(trafficClass, id, settings.maxWait().toNanos());
            } catch (Limiter.Refused refused) {
                giveBack(request, cost, fresh);
                waits.get(trafficClass).get(refused.outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                throw refusedProblem(trafficClass, refused.outcome);
            } catch (InterruptedException interrupted) {
                giveBack(request, cost, fresh);
                Thread.currentThread().interrupt();
                throw refusedProblem(trafficClass, Limiter.Outcome.OVERLOADED);
            }
        }
        long admittedAt = System.nanoTime();
        waits.get(trafficClass).get(Limiter.Outcome.ADMITTED).record(admittedAt - start, TimeUnit.NANOSECONDS);
        Admitted admitted = new Admitted(admission, permit, tenant, admittedAt, cost, ownCost);
        try {
            transactions.putResource(ADMITTED, admitted);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    completed(admitted);
                }
            });
        } catch (RuntimeException e) {
            completed(admitted);
            throw e;
        }
        return admission;
    }

    /**
     * Waits for the tenant's turn in its database time budget of the class ({@link DatabaseTimeBudget}); refuses
     * with 429 and Retry-After when that turn is further away than the class's longest wait. Before the permit is
     * taken: a tenant waiting for its budget holds no connection. While the tenant's first transaction of the class
     * (of a cost not known yet) is in flight, the next ones wait for it to end first. Null when the class has no budget.
     */
    private DatabaseTimeBudget.Turn awaitBudget(TrafficClass trafficClass, BulkheadConfig.ClassSettings settings, UUID tenant,
                                                long now) {
        DatabaseTimeBudget budget = budgets.get(trafficClass);
        if (budget == null) {
            return null;
        }
        long maxWait = settings.maxWait().toNanos();
        DatabaseTimeBudget.Turn turn = budget.reserve(tenant, now, maxWait);
        while (turn == DatabaseTimeBudget.AFTER_FIRST) {
            // the tenant's first transaction of the class, of a cost not known yet, is in flight: wait for it to end
            long left = now + maxWait - System.nanoTime();
            try {
                if (!budget.awaitFirst(tenant, left)) {
                    throttled.get(trafficClass).increment();
                    throw overBudgetProblem(trafficClass, settings, settings.maxWait());
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw refusedProblem(trafficClass, Limiter.Outcome.OVERLOADED);
            }
            long at = System.nanoTime();
            turn = budget.reserve(tenant, at, Math.max(0, now + maxWait - at));
        }
        if (turn == null) {
            throttled.get(trafficClass).increment();
            throw overBudgetProblem(trafficClass, settings, Duration.ofNanos(budget.waitNanos(tenant, now)));
        }
        if (turn.waitNanos() > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(turn.waitNanos());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                budget.giveBack(tenant, turn);
                throw refusedProblem(trafficClass, Limiter.Outcome.OVERLOADED);
            }
        }
        return turn;
    }

    /** Hands back a turn just taken for work that was refused after all (a request that took it holds it no longer). */
    private static void giveBack(CurrentTraffic request, RequestCost cost, boolean fresh) {
        if (cost != null && fresh) {
            cost.giveBack();
            if (request != null && request.cost() == cost) {
                request.cost(null);
            }
        }
    }

    /** The request's traffic state, or null outside a request. */
    private CurrentTraffic requestTraffic() {
        ArcContainer container = Arc.container();
        return container != null && container.requestContext().isActive() ? current : null;
    }

    private void completed(Admitted admitted) {
        long end = System.nanoTime();
        long nanos = end - admitted.admittedAt();
        if (admitted.cost() != null) {
            admitted.cost().add(nanos);
            if (admitted.ownCost()) {
                admitted.cost().end(end);
            }
        }
        try {
            if (admitted.permit() != null) {
                limiter.release(admitted.permit());
            }
        } finally {
            holds.get(admitted.admission().trafficClass()).record(nanos, TimeUnit.NANOSECONDS);
            admitted.tenant().ifPresent(tenant -> databaseTime.add(tenant, nanos));
        }
    }

    @Override
    public TrafficClass currentClass() {
        ArcContainer container = Arc.container();
        if (container != null && container.requestContext().isActive()) {
            TrafficClass requested = current.get();
            if (requested != null) {
                return requested;
            }
        }
        return TrafficClass.BACKGROUND;
    }

    @Override
    public Optional<ProblemException> refusal(Throwable failure) {
        TrafficClass trafficClass = currentClass();
        Optional<Refusal> refusal = classify(failure, trafficClass, config.of(trafficClass));
        refusal.flatMap(Refusal::timeout).filter(kind -> node.role() == NodeRole.CELL).ifPresent(kind ->
                registry.counter("cell.bulkhead.timeouts", "class", trafficClass.tag(), "kind", kind).increment());
        return refusal.map(Refusal::problem);
    }

    /** A failure answered as a refusal: the problem, and which timeout cut the work (statement, lock), if one did. */
    record Refusal(ProblemException problem, Optional<String> timeout) {}

    /**
     * What to answer for a failure of work of a class that ran under {@code settings}: a statement cut by its
     * statement timeout, a lock wait cut by its lock timeout, or any other sign of a database that cannot serve
     * now ({@link DatabaseUnavailable}), each a 503 with Retry-After; empty for other failures. By SQLState only:
     * the server's messages may be in another language (57014 is also an operator's cancel, rare enough).
     */
    static Optional<Refusal> classify(Throwable failure, TrafficClass trafficClass, BulkheadConfig.ClassSettings settings) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (QUERY_CANCELED.equals(next.getSQLState())) {
                        return Optional.of(new Refusal(statementTimedOut(trafficClass, settings), Optional.of("statement")));
                    }
                    if (LOCK_NOT_AVAILABLE.equals(next.getSQLState())) {
                        return Optional.of(new Refusal(lockTimedOut(trafficClass, settings), Optional.of("lock")));
                    }
                }
            }
        }
        return DatabaseUnavailable.reason(failure).map(reason -> new Refusal(new ProblemException(Problem.of(503,
                "Service unavailable", "The shop's database did not answer in time; try again shortly."), RETRY_AFTER),
                Optional.empty()));
    }

    @Override
    public int waitingForCapacity() {
        return snapshot().map(Limiter.Snapshot::waitingForCapacity).orElse(0);
    }

    @Override
    public List<TenantLoad> heaviestTenants(int limit) {
        RecentLoad.Summary summary = databaseTime.summary(limit);
        return summary.heaviest().stream()
                .map(e -> new TenantLoad(e.tenantId(), Duration.ofNanos(e.weight()), summary.over())).toList();
    }

    @Override
    public RecentLoad.Summary recentDatabaseTime(int limit) {
        return databaseTime.summary(limit);
    }

    /** Counts now, for the operator's view; empty on nodes that are not cells. */
    Optional<Limiter.Snapshot> snapshot() {
        return node.role() == NodeRole.CELL ? Optional.of(limiter().snapshot()) : Optional.empty();
    }

    private static ProblemException statementTimedOut(TrafficClass trafficClass, BulkheadConfig.ClassSettings settings) {
        String limit = seconds(settings.statementTimeout());
        String detail = switch (trafficClass) {
            case REPORT -> "The listing, search or report ran longer than the " + limit + " it may take and was stopped."
                    + " Narrow it down (a longer search text, a filter) or try again later.";
            case ADMIN -> "The request's query ran longer than the " + limit + " an admin request may take and was stopped;"
                    + " try again later.";
            default -> "The request's query ran longer than the " + limit + " a " + trafficClass.tag()
                    + " request may take and was stopped; try again shortly.";
        };
        // the merchant's own queries would run as long again at once: they are asked to wait longer than shoppers
        Duration retryAfter = trafficClass == TrafficClass.ADMIN || trafficClass == TrafficClass.REPORT
                ? ADMIN_QUERY_RETRY_AFTER : RETRY_AFTER;
        return new ProblemException(new Problem(URI.create("about:blank"), "Query took too long", 503, detail, null, List.of()),
                retryAfter);
    }

    private static ProblemException lockTimedOut(TrafficClass trafficClass, BulkheadConfig.ClassSettings settings) {
        return new ProblemException(new Problem(URI.create("about:blank"), "Data busy", 503,
                "Data this request needs stayed locked by other work for longer than the "
                        + seconds(settings.lockTimeout()) + " a " + trafficClass.tag()
                        + " request may wait; try again shortly.", null, List.of()), RETRY_AFTER);
    }

    static ProblemException overBudgetProblem(TrafficClass trafficClass, BulkheadConfig.ClassSettings settings, Duration wait) {
        return new ProblemException(new Problem(URI.create("about:blank"), "Too many requests", 429,
                "This shop's " + trafficClass.tag() + " requests used more database time than the "
                        + settings.tenantDatabaseTime() + " s per second they may use on average; try again in "
                        + ProblemException.retryAfterSeconds(wait) + " s.", null, List.of()), wait);
    }

    static ProblemException refusedProblem(TrafficClass trafficClass, Limiter.Outcome outcome) {
        if (outcome == Limiter.Outcome.TENANT_LIMIT) {
            return new ProblemException(new Problem(URI.create("about:blank"), "Shop busy", 503,
                    "This shop has as much database work in progress as the cell gives one shop now; try again shortly.",
                    null, List.of()), RETRY_AFTER);
        }
        return new ProblemException(new Problem(URI.create("about:blank"), "Service busy", 503,
                "The cell is too busy to take this " + trafficClass.tag() + " request now; try again shortly.",
                null, List.of()), RETRY_AFTER);
    }

    /** "10 s", "500 ms". */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private Limiter limiter() {
        Limiter existing = limiter;
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            if (limiter == null) {
                int pool = cellDataSource.get().getConfiguration().connectionPoolConfiguration().maxSize();
                Limiter created = new Limiter(limits(pool, config));
                budgets.putAll(budgets(config));
                registerMeters(created);
                LOG.infof("Database bulkhead: %d of %d connections, one tenant %d..%d, %s", created.limits().capacity(), pool,
                        created.limits().tenantMin(), created.limits().tenantMax(), config.enabled() ? "admitting" : "disabled");
                limiter = created;
            }
            return limiter;
        }
    }

    /** The limiter's limits for a pool of {@code pool} connections. */
    static Limiter.Limits limits(int pool, BulkheadConfig config) {
        int capacity = Math.max(1, pool - Math.max(0, config.headroom()));
        int tenantMin = Math.max(1, Math.min(capacity, config.tenantMin()));
        int tenantMax = Math.max(tenantMin, Limiter.Limits.percentOf(capacity, config.tenantMaxShare()));
        Map<TrafficClass, Limiter.ClassLimits> classes = new EnumMap<>(TrafficClass.class);
        for (TrafficClass c : TrafficClass.values()) {
            BulkheadConfig.ClassSettings s = config.of(c);
            classes.put(c, new Limiter.ClassLimits(Limiter.Limits.percentOf(capacity, s.maxShare()),
                    Limiter.Limits.percentOf(capacity, s.admitBelow()), Math.max(0, s.maxWaiting())));
        }
        return new Limiter.Limits(capacity, tenantMax, tenantMin, classes);
    }

    /** A database time budget per class that has one. */
    static Map<TrafficClass, DatabaseTimeBudget> budgets(BulkheadConfig config) {
        Map<TrafficClass, DatabaseTimeBudget> budgets = new EnumMap<>(TrafficClass.class);
        for (TrafficClass c : TrafficClass.values()) {
            BulkheadConfig.ClassSettings s = config.of(c);
            if (s.tenantDatabaseTime() > 0) {
                budgets.put(c, new DatabaseTimeBudget(s.tenantDatabaseTime(), Math.max(0, s.tenantDatabaseTimeBurst().toNanos())));
            }
        }
        return budgets;
    }

    private void registerMeters(Limiter created) {
        for (TrafficClass c : TrafficClass.values()) {
            throttled.put(c, Counter.builder("cell.bulkhead.throttled")
                    .description("Transactions refused (429) because their tenant used up its database time budget of the class")
                    .tags("class", c.tag()).register(registry));
            Map<Limiter.Outcome, Timer> byOutcome = new EnumMap<>(Limiter.Outcome.class);
            for (Limiter.Outcome outcome : Limiter.Outcome.values()) {
                byOutcome.put(outcome, Timer.builder("cell.bulkhead.wait")
                        .description("Waits of database transactions for their turn, by traffic class and outcome")
                        .tags("class", c.tag(), "outcome", outcome.tag).register(registry));
            }
            waits.put(c, byOutcome);
            holds.put(c, Timer.builder("cell.bulkhead.held")
                    .description("How long admitted database transactions held their connection, by traffic class")
                    .tags("class", c.tag()).register(registry));
            gauge("cell.bulkhead.in.flight", "Database transactions admitted and running, by traffic class", c, created,
                    s -> s.held().get(c));
            gauge("cell.bulkhead.waiting", "Database transactions waiting for their turn, by traffic class", c, created,
                    s -> s.waiting().get(c));
        }
        gauge("cell.bulkhead.busy.tenants", "Tenants holding or waiting for a database connection", null, created,
                Limiter.Snapshot::busyTenants);
        gauge("cell.bulkhead.tenant.share", "Database connections one tenant may hold now", null, created,
                Limiter.Snapshot::tenantShare);
        gauge("cell.bulkhead.capacity", "Database connections the bulkhead hands out", null, created,
                Limiter.Snapshot::capacity);
    }

    private void gauge(String name, String help, TrafficClass c, Limiter source, ToDoubleFunction<Limiter.Snapshot> value) {
        Gauge.Builder<Limiter> builder = Gauge.builder(name, source, l -> value.applyAsDouble(l.snapshot())).description(help);
        if (c != null) {
            builder.tag("class", c.tag());
        }
        builder.register(registry);
    }
}
