package platform.internal.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.hibernate.Session;
import platform.Idempotency;
import platform.NodeRole;
import platform.Problem;
import platform.ProblemException;
import platform.Secrets;
import platform.StorefrontConfig;
import platform.bulkhead.TenantBulkhead;
import platform.internal.db.TransactionTail;

/**
 * {@link Idempotency} on the node's own database ({@code platform_idempotency}: in a cell keyed by
 * tenant and under row-level security, in the control database keyed by scope). One transaction
 * does everything: it first inserts the key's row (a concurrent request with the same key waits for
 * that row's transaction; {@link #IN_FLIGHT_WAIT} later it gives up with 409), then runs the action
 * and stores its answer in the same row. A failed action rolls the row back with everything else, so
 * no claim outlives its request, not even a crashed node's.
 */
@ApplicationScoped
class IdempotencyImpl implements Idempotency {

    /** How long a request waits for another one in flight under its key before it answers 409. */
    static final String IN_FLIGHT_WAIT = "200ms";

    /** PostgreSQL's "lock_not_available": the wait for the other request's row ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** Looked up on use: only the persistence unit of the node's role is active. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject @WithCaching @PersistenceUnit("control") Instance<EntityManager> controlEntityManager;
    @Inject ObjectMapper json;
    @Inject StorefrontConfig config;
    @Inject TenantBulkhead bulkhead;
    @Inject TransactionTail tail;

    @Override
    public Response execute(Request request, Supplier<Response> action, UnaryOperator<Object> stored) {
        if (request.key() == null) {
            return action.get();
        }
        String digest = digest(request);
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                // the action's tenant transaction joins this one: admitted here, before the first statement
                Optional<TenantBulkhead.Admission> limits = cell()
                        ? Optional.of(bulkhead.admitTransaction(Optional.of(UUID.fromString(request.scope()))))
                        : Optional.empty();
                Optional<Response> replay = claim(request, digest, limits);
                if (replay.isPresent()) {
                    return replay.get();
                }
                Response answer = action.get();
                if (answer.getStatus() >= 400) {
                    throw new NotStored(answer); // rolls the key's row back with the rest: the key stays free
                }
                complete(request, answer, stored);
                return answer;
            });
        } catch (NotStored failed) {
            return failed.answer;
        }
    }

    /**
     * Inserts the key's row, or finds the answer stored under it (422 if it was for another request). In a cell the
     * transaction is then bound to the request's tenant with its class's limits ({@code limits}), the lock timeout
     * among them, so that the action's tenant transaction finds it bound; elsewhere the lock timeout is put back.
     */
    private Optional<Response> claim(Request request, String digest, Optional<TenantBulkhead.Admission> limits) {
        // one round trip: the tenant (a cell's table is under row-level security), the wait for a key in flight, and
        // the transaction's lock timeout until now, which the action's statements get back after the insert
        // (the CTE reads the timeout before the row that changes it is formed)
        String readThenSet = "with before as materialized (select current_setting('lock_timeout') as timeout)"
                + " select timeout, set_config('lock_timeout', ?1, true)";
        Query bind = cell()
                ? query(readThenSet + ", set_config('app.tenant_id', ?2, true) from before").setParameter(2, request.scope())
                : query(readThenSet + " from before");
        String lockTimeout = (String) ((Object[]) bind.setParameter(1, IN_FLIGHT_WAIT).getSingleResult())[0];
        int inserted;
        try {
            inserted = query("insert into platform_idempotency (" + scopeColumn() + ", idem_key, request_digest)"
                    + " values (" + scopeValue() + ", ?2, ?3) on conflict do nothing")
                    .setParameter(1, request.scope()).setParameter(2, request.key()).setParameter(3, digest)
                    .executeUpdate();
        } catch (RuntimeException e) {
            // only this wait means "in flight": a lock timeout of the action itself is the database's refusal (503)
            if (lockNotAvailable(e)) {
                throw inFlight();
            }
            throw e;
        }
        if (limits.isPresent()) {
            UUID tenant = UUID.fromString(request.scope());
            entityManager().unwrap(Session.class).doWork(connection -> bulkhead.bindTenant(connection, tenant, limits.get()));
        } else {
            entityManager().createNativeQuery("select set_config('lock_timeout', ?1, true)").setParameter(1, lockTimeout)
                    .getSingleResult();
        }
        if (inserted == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query("select request_digest, response_status, response_location, response_body"
                + " from platform_idempotency where " + scopeColumn() + " = " + scopeValue() + " and idem_key = ?2")
                .setParameter(1, request.scope()).setParameter(2, request.key())
                .getResultList();
        Object[] row = rows.get(0);
        if (!digest.equals(row[0])) {
            throw otherRequest();
        }
        if (row[1] == null) {
            throw inFlight();
        }
        Response.ResponseBuilder replay = Response.status(((Number) row[1]).intValue()).header(REPLAYED, "true");
        if (row[2] != null) {
            replay.location(URI.create((String) row[2]));
        }
        return Optional.of(row[3] == null ? replay.build() : replay.entity(row[3]).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    private void complete(Request request, Response answer, UnaryOperator<Object> stored) {
        String body;
        try {
            body = answer.getEntity() == null ? null : json.writeValueAsString(stored.apply(answer.getEntity()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer of " + request.path() + " cannot be stored", e);
        }
        bindScope(request);
        // written last, with the transaction's other closing writes in one round trip (TransactionTail)
        tail.add(cell() ? "cell" : "control", entityManager(), "update platform_idempotency set response_status = ?,"
                + " response_location = ?, response_body = ?, completed_at = now() where " + scopeColumn() + " = "
                + (cell() ? "cast(? as uuid)" : "?") + " and idem_key = ?", answer.getStatus(),
                answer.getLocation() == null ? null : answer.getLocation().toString(), body, request.scope(), request.key());
    }

    /** An error answer the action returned (rather than threw): answered, never stored. */
    private static final class NotStored extends RuntimeException {
        final transient Response answer;

        NotStored(Response answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private static boolean lockNotAvailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** SHA-256 of method, path, scope and the body's JSON: what binds a key to its request. */
    String digest(Request request) {
        String body;
        try {
            body = json.writeValueAsString(request.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body of " + request.path() + " cannot be digested", e);
        }
        return Secrets.digest(request.method() + "\n" + request.path() + "\n" + request.scope() + "\n" + body);
    }

    static ProblemException otherRequest() {
        return new ProblemException(new Problem(URI.create("about:blank"), "Idempotency-Key is already used", 422,
                "This Idempotency-Key was used with a different request; use a new key for a new request.", null,
                List.of(new Problem.FieldError(HEADER, "was used with a different request"))));
    }

    static ProblemException inFlight() {
        return new ProblemException(new Problem(URI.create("about:blank"), "A request is outstanding for this Idempotency-Key",
                409, "A request with this Idempotency-Key is still being processed; retry later.", null,
                List.of(new Problem.FieldError(HEADER, "has a request in flight"))));
    }

    /** A cell's table is under row-level security: bind the transaction to the request's tenant. */
    private void bindScope(Request request) {
        if (cell() && !bulkhead.boundTo(UUID.fromString(request.scope()))) {
            entityManager().createNativeQuery("select set_config('app.tenant_id', ?1, true)")
                    .setParameter(1, request.scope()).getSingleResult();
        }
    }

    private Query query(String sql) {
        return entityManager().createNativeQuery(sql);
    }

    private String scopeColumn() {
        return cell() ? "tenant_id" : "scope";
    }

    private String scopeValue() {
        return cell() ? "cast(?1 as uuid)" : "?1";
    }

    private boolean cell() {
        return config.role() != NodeRole.CONTROL;
    }

    private EntityManager entityManager() {
        return cell() ? cellEntityManager.get() : controlEntityManager.get();
    }
}
