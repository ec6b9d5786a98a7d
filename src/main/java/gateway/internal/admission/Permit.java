package gateway.internal.admission;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted request to a cell: it holds its place in the cell's limit until the exchange with the
 * cell ends, and then gives the limit its latency. Call exactly one of {@link #answered} and
 * {@link #failed} when the exchange ends, whatever its outcome; further calls do nothing.
 */
public final class Permit {

    /** The permit of a request admitted without a limit (admission is off). */
    static final Permit UNLIMITED = new Permit(null, null, 0, 0, false);

    final CellLimiter limiter;
    final UUID tenantId;
    final long startNanos;
    final int inflightAtStart;
    /**
     * Whether this is a light request: its shop had no debt to its pace and at most the minimum share in
     * flight (this one included) when it started. Light requests' latency says what neighbours feel.
     */
    final boolean light;
    private final AtomicBoolean ended = new AtomicBoolean();

    Permit(CellLimiter limiter, UUID tenantId, long startNanos, int inflightAtStart, boolean light) {
        this.limiter = limiter;
        this.tenantId = tenantId;
        this.startNanos = startNanos;
        this.inflightAtStart = inflightAtStart;
        this.light = light;
    }

    /**
     * The cell answered with this status and the answer has been relayed (or read): its latency is a
     * sample of the cell's; a 503 (the cell shedding load itself) counts as a drop.
     */
    public void answered(int status) {
        end(true, status == 503);
    }

    /**
     * The exchange with the cell failed: when it timed out, its latency is a sample (a drop); any other
     * failure (refused connection, reset) says nothing about the cell's latency and is not sampled
     * (the gateway's circuit deals with a dead cell).
     */
    public void failed(boolean timedOut) {
        end(timedOut, true);
    }

    private void end(boolean sample, boolean dropped) {
        if (limiter != null && ended.compareAndSet(false, true)) {
            limiter.release(this, sample, dropped);
        }
    }
}
