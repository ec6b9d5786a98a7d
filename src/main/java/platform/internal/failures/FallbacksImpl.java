package platform.internal.failures;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;
import platform.Fallbacks;

/** Counts fallbacks per counter and reason, and logs them at WARN, at most one line per counter every {@link #WARN_EVERY}. */
@Singleton
class FallbacksImpl implements Fallbacks {

    private static final Logger LOG = Logger.getLogger(Fallbacks.class);
    static final Duration WARN_EVERY = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final RateLimitedLog log;

    @Inject
    FallbacksImpl(MeterRegistry registry, Clock clock) {
        this(registry, new RateLimitedLog(clock, WARN_EVERY, LOG::warn));
    }

    FallbacksImpl(MeterRegistry registry, RateLimitedLog log) {
        this.registry = registry;
        this.log = log;
    }

    @Override
    public void taken(String meter, String what, Throwable failure) {
        String reason = reasonOf(failure);
        count(meter, reason);
        log.write(meter, () -> line(meter, what, reason) + ": " + describe(failure));
    }

    @Override
    public void taken(String meter, String what, String reason) {
        count(meter, reason);
        log.write(meter, () -> line(meter, what, reason));
    }

    private void count(String meter, String reason) {
        registry.counter(meter, "reason", reason).increment();
    }

    private static String line(String meter, String what, String reason) {
        return what + " (" + reason + "; counted in " + meter + ", logged at most every " + WARN_EVERY.toSeconds() + " s)";
    }

    /** The reason of a failure, from the first cause in its chain that tells one. */
    static String reasonOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionPoolTooBusyException) {
                return POOL_BUSY;
            }
            if (t instanceof CircuitBreakerOpenException) {
                return CIRCUIT_OPEN;
            }
            if (t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof SocketException) {
                return UNREACHABLE;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (message.contains("max wait queue")) {
                return POOL_BUSY;
            }
            if (message.contains("connection is closed") || message.contains("connection refused")) {
                return UNREACHABLE; // the Redis client's own wording, without a typed cause
            }
        }
        return ERROR;
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "no detail";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " ").trim();
        return root.getClass().getSimpleName() + message;
    }
}
