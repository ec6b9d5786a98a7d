package gateway.internal;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counts per tenant over a sliding window, for the "top tenants by request rate" view. */
@ApplicationScoped
public class TopTenants {

    static final long WINDOW_NANOS = 10_000_000_000L;

    /** A tenant's recent request rate. */
    public record Rate(UUID tenantId, String handle, String cellId, double requestsPerSecond) {}

    private record Key(UUID tenantId, String handle, String cellId) {}

    private volatile ConcurrentHashMap<Key, LongAdder> current = new ConcurrentHashMap<>();
    private volatile Map<Key, LongAdder> previous = Map.of();
    private volatile long windowStart = System.nanoTime();

    void count(UUID tenantId, String handle, String cellId) {
        rotateIfDue();
        current.computeIfAbsent(new Key(tenantId, handle, cellId), k -> new LongAdder()).increment();
    }

    /** The busiest tenants over the last full window. */
    public List<Rate> top(int n) {
        rotateIfDue();
        double seconds = WINDOW_NANOS / 1e9;
        return previous.entrySet().stream()
                .map(e -> new Rate(e.getKey().tenantId(), e.getKey().handle(), e.getKey().cellId(), e.getValue().sum() / seconds))
                .sorted(Comparator.comparingDouble(Rate::requestsPerSecond).reversed())
                .limit(n).toList();
    }

    private void rotateIfDue() {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            synchronized (this) {
                if (now - windowStart >= WINDOW_NANOS) {
                    previous = now - windowStart >= 2 * WINDOW_NANOS ? Map.of() : current;
                    current = new ConcurrentHashMap<>();
                    windowStart = now;
                }
            }
        }
    }
}
