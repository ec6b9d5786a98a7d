package platform.internal.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;
import platform.Fallbacks;

/** Fallbacks are counted per reason, and logged at most once per counter and interval. */
class FallbacksImplTest {

    final RateLimitedLogTest.FakeClock clock = new RateLimitedLogTest.FakeClock();
    final List<String> lines = new ArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FallbacksImpl fallbacks = new FallbacksImpl(registry, new RateLimitedLog(clock, Duration.ofSeconds(30), lines::add));

    @Test
    void reasonsAreTakenFromTheFailureOrItsCauses() {
        assertEquals(Fallbacks.TIMEOUT, FallbacksImpl.reasonOf(new TimeoutException("timed out")));
        assertEquals(Fallbacks.TIMEOUT, FallbacksImpl.reasonOf(new io.smallrye.mutiny.TimeoutException()));
        assertEquals(Fallbacks.CIRCUIT_OPEN, FallbacksImpl.reasonOf(new CircuitBreakerOpenException("open")));
        assertEquals(Fallbacks.POOL_BUSY, FallbacksImpl.reasonOf(
                new CompletionException(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 1024"))));
        assertEquals(Fallbacks.UNREACHABLE, FallbacksImpl.reasonOf(new CompletionException(new ConnectException("Connection refused"))));
        assertEquals(Fallbacks.UNREACHABLE, FallbacksImpl.reasonOf(new IllegalStateException("Connection is closed")));
        assertEquals(Fallbacks.ERROR, FallbacksImpl.reasonOf(new IllegalStateException("WRONGTYPE")));
        assertEquals(Fallbacks.ERROR, FallbacksImpl.reasonOf(null));
    }

    @Test
    void everyFallbackIsCountedAndTheFirstOfABurstLogged() {
        for (int i = 0; i < 5; i++) {
            fallbacks.taken("storefront.cache.fallbacks", "cache skipped", new TimeoutException("timed out"));
        }
        fallbacks.taken("storefront.cache.fallbacks", "cache skipped", new ConnectionPoolTooBusyException("max wait queue size of 1"));
        fallbacks.taken("gateway.ratelimit.fallbacks", "decided in-process", "paused");

        assertEquals(5, registry.counter("storefront.cache.fallbacks", "reason", "timeout").count());
        assertEquals(1, registry.counter("storefront.cache.fallbacks", "reason", "pool-busy").count());
        assertEquals(1, registry.counter("gateway.ratelimit.fallbacks", "reason", "paused").count());
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("cache skipped (timeout; counted in storefront.cache.fallbacks"), lines.get(0));
        assertTrue(lines.get(0).endsWith(": TimeoutException: timed out"), lines.get(0));
        assertTrue(lines.get(1).startsWith("decided in-process (paused;"), lines.get(1));
    }
}
