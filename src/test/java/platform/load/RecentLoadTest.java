package platform.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentLoadTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final RecentLoad load = new RecentLoad(8, Duration.ofSeconds(10), now::get);
    final UUID hot = UUID.randomUUID();
    final UUID cold = UUID.randomUUID();

    @Test
    void reportsTheHeaviestTenantsAndTheTotalOverThePeriodCounted() {
        load.add(cold, Duration.ofMillis(100).toNanos());
        load.add(hot, Duration.ofSeconds(4).toNanos());
        load.add(hot, Duration.ofSeconds(4).toNanos());
        load.add(hot, 0); // ignored
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        RecentLoad.Summary summary = load.summary(10);
        assertEquals(List.of(hot, cold), summary.heaviest().stream().map(RecentLoad.Entry::tenantId).toList());
        assertEquals(Duration.ofSeconds(8).toNanos(), summary.heaviest().get(0).weight());
        assertEquals(Duration.ofSeconds(4), summary.over());
        assertEquals(Duration.ofMillis(8_100).toNanos(), summary.total());
        assertEquals(2e9, summary.perSecond(summary.heaviest().get(0).weight()), 1e-3, "8 s of connections in 4 s: two on average");
        assertEquals(8.0 / 8.1, summary.share(summary.heaviest().get(0).weight()), 1e-9);
        assertEquals(1, load.summary(1).heaviest().size());
    }

    @Test
    void addsThePreviousWindowToTheRunningOneAndForgetsOlderOnes() {
        load.add(hot, Duration.ofSeconds(5).toNanos());
        now.addAndGet(Duration.ofSeconds(12).toNanos()); // into the second window
        load.add(hot, Duration.ofSeconds(1).toNanos());
        load.add(cold, Duration.ofSeconds(2).toNanos());
        RecentLoad.Summary summary = load.summary(10);
        assertEquals(hot, summary.heaviest().get(0).tenantId());
        assertEquals(Duration.ofSeconds(6).toNanos(), summary.heaviest().get(0).weight());
        assertEquals(Duration.ofSeconds(12), summary.over(), "the full previous window and 2 s of the running one");
        assertEquals(Duration.ofSeconds(8).toNanos(), summary.total());

        now.addAndGet(Duration.ofSeconds(10).toNanos()); // third window: the first is gone
        RecentLoad.Summary later = load.summary(10);
        assertEquals(cold, later.heaviest().get(0).tenantId());
        assertEquals(Duration.ofSeconds(1).toNanos(), later.heaviest().get(1).weight());
        assertEquals(Duration.ofSeconds(3).toNanos(), later.total());

        now.addAndGet(Duration.ofSeconds(60).toNanos()); // idle for long: nothing left
        assertTrue(load.summary(10).heaviest().isEmpty());
        assertEquals(0, load.summary(10).total());
        assertEquals(0.0, load.summary(10).share(5));
    }
}
