package platform.internal.web;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Recognises failures that mean "the database cannot serve this now" rather than a bug: a statement
 * cancelled by its timeout, a lock not granted in time, a lost or refused connection, a database
 * that is shutting down, closed to connections or out of connection slots, or no pooled connection
 * free within the acquisition timeout. Those are answered 503 with Retry-After, fast,
 * instead of 500.
 */
public final class DatabaseUnavailable {

    public static final int RETRY_AFTER_SECONDS = 1;

    private DatabaseUnavailable() {}

    /** Why the failure means the database is unavailable, if it does. */
    public static Optional<String> reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.equals("57014") || state.equals("55P03") || state.startsWith("08")
                        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || state.equals("53300") || notAcceptingConnections(state, sql))) {
                    return Optional.of("SQLState " + state + ": " + sql.getMessage());
                }
                if (state == null && sql.getMessage() != null && sql.getMessage().contains("acquisition timeout")) {
                    return Optional.of("no database connection free: " + sql.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the failure means the database cannot be reached at all (a refused, broken or closed
     * connection, a database shutting down or closed to connections), as opposed to one statement
     * that could not finish (a timeout, a lock) or a pool that is busy: only the former opens the
     * node's database breaker.
     */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || notAcceptingConnections(state, sql)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "database ... is not currently accepting connections" (closed by an operator, shutting down). */
    private static boolean notAcceptingConnections(String state, SQLException sql) {
        return state.equals("55000") && sql.getMessage() != null && sql.getMessage().contains("accepting connections");
    }
}
