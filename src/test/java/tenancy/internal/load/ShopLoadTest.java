package tenancy.internal.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import platform.load.RecentLoad;
import tenancy.CellLoad;

class ShopLoadTest {

    final UUID noisy = UUID.randomUUID();
    final UUID slowQueries = UUID.randomUUID();
    final UUID quiet = UUID.randomUUID();

    @Test
    void joinsRequestsAndDatabaseTimePerShopLargestShareFirst() {
        Duration over = Duration.ofSeconds(10);
        // 1,000 requests in 10 s, 900 of them the noisy shop's; 20 s of connections, 16 s of them the slow queries'
        RecentLoad.Summary requests = new RecentLoad.Summary(List.of(new RecentLoad.Entry(noisy, 900),
                new RecentLoad.Entry(quiet, 60), new RecentLoad.Entry(slowQueries, 40)), 1_000, over);
        RecentLoad.Summary db = new RecentLoad.Summary(List.of(new RecentLoad.Entry(slowQueries, 16_000_000_000L),
                new RecentLoad.Entry(noisy, 3_000_000_000L)), 20_000_000_000L, over);
        CellLoad load = ShopLoad.report(requests, db, 2);
        assertEquals(10_000, load.periodMillis());
        assertEquals(100.0, load.requestRate());
        assertEquals(2.0, load.dbConnections(), 1e-9);
        assertEquals(List.of(noisy, slowQueries), load.heaviest().stream().map(CellLoad.TenantShare::tenantId).toList(),
                "the two largest shares, the quiet shop left out");
        CellLoad.TenantShare first = load.heaviest().get(0);
        assertEquals(90.0, first.requestRate());
        assertEquals(0.9, first.requestShare());
        assertEquals(0.3, first.dbConnections(), 1e-9);
        assertEquals(0.15, first.dbShare(), 1e-9);
        CellLoad.TenantShare second = load.heaviest().get(1);
        assertEquals(0.8, second.share(), 1e-9, "its database share, the larger");
        assertEquals(4.0, second.requestRate());
    }

    @Test
    void anIdleNodeReportsNothing() {
        RecentLoad.Summary none = new RecentLoad.Summary(List.of(), 0, Duration.ofSeconds(3));
        CellLoad load = ShopLoad.report(none, none, 8);
        assertEquals(List.of(), load.heaviest());
        assertEquals(0.0, load.requestRate());
    }
}
