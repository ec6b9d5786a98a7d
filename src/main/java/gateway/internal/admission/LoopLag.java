package gateway.internal.admission;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import platform.NodeRole;
import platform.StorefrontConfig;

/**
 * How late the gateway's event loops run what is due on them (ADR 0022): a probe on each loop every
 * {@link #PERIOD_NANOS}, and the 99th percentile of their lateness per window of {@link #WINDOW_NANOS}.
 * Every request the gateway answers, from the edge cache or forwarded, waits that long for its loop when
 * the gateway's processors are busy; the shops' paces at cells ({@link TenantPacer}) follow it.
 *
 * <p>Started on gateways only, when admission and the lag limit are on. Cost: one task per loop and period.
 */
@Singleton
class LoopLag {

    static final long PERIOD_NANOS = 10_000_000L;
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** Samples kept per window: the probes of a few dozen loops. */
    static final int MAX_SAMPLES = 8_192;

    private final long[] samples = new long[MAX_SAMPLES];
    private int count;
    private long windowStart = -1;
    private volatile long last = -1;

    @Inject Vertx vertx;
    @Inject StorefrontConfig storefront;
    @Inject AdmissionConfig config;
    @Inject MeterRegistry metrics;

    void start(@Observes StartupEvent event) {
        if (storefront.role() != NodeRole.GATEWAY || !config.enabled() || config.loopLagLimit().isZero()) {
            return;
        }
        Gauge.builder("gateway.admission.loop.lag", this, lag -> Math.max(0, lag.p99Nanos()) / 1e9).baseUnit("seconds")
                .description("How late the gateway's event loops ran what was due on them, 99th percentile of the last second")
                .register(metrics);
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            probe(loop, System.nanoTime() + PERIOD_NANOS);
        }
    }

    private void probe(EventExecutor loop, long due) {
        if (loop.isShuttingDown()) {
            return;
        }
        loop.schedule(() -> {
            long now = System.nanoTime();
            record(now - due, now);
            probe(loop, now + PERIOD_NANOS);
        }, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** The 99th percentile of the loops' lateness in the last complete window, in nanoseconds; -1 before one. */
    long p99Nanos() {
        return last;
    }

    /** A probe ran {@code lateNanos} after it was due, at {@code now}. */
    synchronized void record(long lateNanos, long now) {
        if (windowStart < 0) {
            windowStart = now;
        }
        if (now - windowStart >= WINDOW_NANOS) {
            last = count == 0 ? -1 : percentile99(samples, count);
            count = 0;
            windowStart = now - (now - windowStart) % WINDOW_NANOS;
        }
        if (count < MAX_SAMPLES) {
            samples[count++] = Math.max(0, lateNanos);
        }
    }

    static long percentile99(long[] samples, int count) {
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(count * 0.99) - 1)];
    }
}
