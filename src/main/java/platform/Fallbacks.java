package platform;

/**
 * Fallbacks a node takes instead of a dependency that failed (the storefront cache reading from PostgreSQL when Redis
 * does not answer, the gateway limiting rates in-process): never silent. Each one is counted in a Micrometer counter
 * tagged with its reason, and the first of a burst is logged at WARN, then at most one line per counter every
 * {@code 30 s} with the number of fallbacks not logged since the last line.
 *
 * <p>Reasons derived from a failure: {@value #TIMEOUT} (no answer in time), {@value #CIRCUIT_OPEN} (a circuit breaker
 * refused the call after recent failures), {@value #POOL_BUSY} (the client's connection pool and its wait queue are
 * full: the node needs a larger pool or has more load than it can carry), {@value #UNREACHABLE} (connection refused,
 * lost or closed) and {@value #ERROR} (anything else).
 */
public interface Fallbacks {

    String TIMEOUT = "timeout";
    String CIRCUIT_OPEN = "circuit-open";
    String POOL_BUSY = "pool-busy";
    String UNREACHABLE = "unreachable";
    String ERROR = "error";

    /**
     * Records a fallback taken because a call failed.
     *
     * @param meter   the counter, dotted ({@code storefront.cache.fallbacks} is {@code storefront_cache_fallbacks_total}
     *                in Prometheus), tagged {@code reason}
     * @param what    what the node did instead, for the log line ({@code "storefront cache skipped, read from PostgreSQL"})
     * @param failure why: its reason is the counter's tag, its message goes into the log line
     */
    void taken(String meter, String what, Throwable failure);

    /**
     * Records a fallback taken without calling the dependency (known to be down a moment ago), with the given reason.
     */
    void taken(String meter, String what, String reason);
}
