package platform.internal.bulkhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import platform.bulkhead.TenantBulkhead.TenantLoad;

class DatabaseTimeTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final DatabaseTime time = new DatabaseTime(8, Duration.ofSeconds(10), now::get);
    final UUID hot = UUID.randomUUID();
    final UUID cold = UUID.randomUUID();

    @Test
    void reportsTheHeaviestTenantsOverThePeriodCounted() {
        time.add(cold, Duration.ofMillis(100).toNanos());
        time.add(hot, Duration.ofSeconds(4).toNanos());
        time.add(hot, Duration.ofSeconds(4).toNanos());
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        List<TenantLoad> loads = time.heaviest(10);
        assertEquals(List.of(hot, cold), loads.stream().map(TenantLoad::tenantId).toList());
        assertEquals(Duration.ofSeconds(8), loads.get(0).databaseTime());
        assertEquals(Duration.ofSeconds(4), loads.get(0).over());
        assertEquals(2.0, loads.get(0).connections(), 1e-9, "8 s of connections in 4 s: two on average");
        assertEquals(1, time.heaviest(1).size());
    }

    @Test
    void addsThePreviousWindowToTheRunningOneAndForgetsOlderOnes() {
        time.add(hot, Duration.ofSeconds(5).toNanos());
        now.addAndGet(Duration.ofSeconds(12).toNanos()); // into the second window
        time.add(hot, Duration.ofSeconds(1).toNanos());
        time.add(cold, Duration.ofSeconds(2).toNanos());
        List<TenantLoad> loads = time.heaviest(10);
        assertEquals(hot, loads.get(0).tenantId());
        assertEquals(Duration.ofSeconds(6), loads.get(0).databaseTime());
        assertEquals(Duration.ofSeconds(12), loads.get(0).over(), "the full previous window and 2 s of the running one");

        now.addAndGet(Duration.ofSeconds(10).toNanos()); // third window: the first is gone
        List<TenantLoad> later = time.heaviest(10);
        assertEquals(cold, later.get(0).tenantId());
        assertEquals(Duration.ofSeconds(1), later.get(1).databaseTime());

        now.addAndGet(Duration.ofSeconds(60).toNanos()); // idle for long: nothing left
        assertTrue(time.heaviest(10).isEmpty());
    }
}
