package platform.internal.db;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * Writes that need not run before a transaction ends (an outbox event, an idempotency key's stored answer): collected
 * while the transaction runs and sent just before it commits, all in one round trip (one multi-statement prepared
 * statement: PostgreSQL's driver sends every part, then waits once). They commit or roll back with the transaction, as
 * if run where they were added, but cost one round trip in all instead of one each, and no round trip while the
 * transaction still holds the row locks of the work before its end, which every checkout of a shop queues on.
 *
 * <p>Each write must change exactly one row (an insert, an update by key); a write that changes none fails the
 * transaction, which then rolls back. Outside a transaction a write runs at once.
 */
@ApplicationScoped
public class TransactionTail {

    /** The prefix of the transaction's resources holding its tails (one per database). */
    private static final String KEY = TransactionTail.class.getName();

    @Inject TransactionSynchronizationRegistry transactions;

    /** One write: its statement (positional parameters) and their values. */
    private record Write(String sql, Object[] parameters) {}

    /** The writes of one transaction, on its persistence unit's connection. */
    private static final class Tail implements Synchronization {
        final EntityManager entityManager;
        final List<Write> writes = new ArrayList<>();
        final TransactionSynchronizationRegistry transactions;

        Tail(EntityManager entityManager, TransactionSynchronizationRegistry transactions) {
            this.entityManager = entityManager;
            this.transactions = transactions;
        }

        @Override
        public void beforeCompletion() {
            if (transactions.getTransactionStatus() == Status.STATUS_MARKED_ROLLBACK || writes.isEmpty()) {
                return;
            }
            entityManager.unwrap(Session.class).doWork(connection -> send(connection, writes));
        }

        @Override
        public void afterCompletion(int status) {
            writes.clear();
        }
    }

    /**
     * Adds a write to the current transaction's tail on a database: {@code unit} names it (a persistence unit's name),
     * {@code entityManager} is that unit's, whose connection the tail is sent on. Runs the write at once when no
     * transaction is active.
     */
    public void add(String unit, EntityManager entityManager, String sql, Object... parameters) {
        Write write = new Write(sql, parameters);
        if (transactions.getTransactionKey() == null) {
            entityManager.unwrap(Session.class).doWork(connection -> send(connection, List.of(write)));
            return;
        }
        String key = KEY + ":" + unit;
        Tail tail = (Tail) transactions.getResource(key);
        if (tail == null) {
            // the session joins the transaction now: a session first opened while the transaction completes could
            // not register itself with it (work on a plain connection of the transaction opens none)
            entityManager.unwrap(Session.class).isJoinedToTransaction();
            tail = new Tail(entityManager, transactions);
            transactions.putResource(key, tail);
            transactions.registerInterposedSynchronization(tail);
        }
        tail.writes.add(write);
    }

    /** Sends the writes as one statement and checks that each changed one row. */
    static void send(Connection connection, List<Write> writes) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (Write write : writes) {
            sql.append(sql.isEmpty() ? "" : ";\n").append(write.sql());
            parameters.addAll(List.of(write.parameters()));
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                statement.setObject(i + 1, value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value);
            }
            boolean rows = statement.execute();
            for (int i = 0; i < writes.size(); i++) {
                int changed = rows ? -1 : statement.getUpdateCount();
                if (changed != 1) {
                    throw new SQLException("a transaction's closing write changed " + changed + " rows, not one: " + writes.get(i).sql());
                }
                rows = statement.getMoreResults();
            }
        }
    }
}
