package gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import platform.StorefrontConfig;
import tenancy.TenantRoute;

/** The route snapshot is written once per burst of changes, not once per poll of the route topic. */
class RouteSnapshotTest {

    @TempDir Path dir;

    private RouteTable table(Path snapshot) {
        RouteTable table = new RouteTable();
        table.json = new ObjectMapper().findAndRegisterModules();
        table.config = (StorefrontConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StorefrontConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("routeSnapshot")) {
                        return snapshot.toString();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return table;
    }

    private static TenantRoute route(int i) {
        return new TenantRoute("shop-" + i + ".shops.localhost", UUID.randomUUID(), "shop-" + i, "cell1",
                "http://127.0.0.1:8101", "active", 10, 20);
    }

    @Test
    void aBurstOfChangesIsWrittenOnceAfterTheInterval() throws Exception {
        Path snapshot = dir.resolve("routes.json");
        RouteTable table = table(snapshot);
        long t = 1_000_000_000_000L;
        int writes = 0;
        for (int poll = 0; poll < 25; poll++) { // 25 polls 200 ms apart, each bringing changes: 5 s in all
            table.apply(route(poll));
            if (table.saveSnapshotIfDue(t + poll * 200_000_000L)) {
                writes++;
            }
        }
        assertEquals(1, writes, "the first poll writes; the others fall within the interval");
        assertTrue(table.saveSnapshotIfDue(t + 5_000_000_000L), "the interval passed with changes pending");
        assertFalse(table.saveSnapshotIfDue(t + 11_000_000_000L), "nothing changed since");
        RouteTable restarted = table(snapshot);
        restarted.loadSnapshot();
        assertEquals(25, restarted.size());
        assertFalse(Files.exists(dir.resolve("routes.json.tmp")));
    }

    @Test
    void stoppingWritesWhatIsPendingAtOnce() {
        Path snapshot = dir.resolve("routes.json");
        RouteTable table = table(snapshot);
        table.apply(route(1));
        assertTrue(table.saveSnapshotIfDue(0));
        table.apply(route(2));
        assertFalse(table.saveSnapshotIfDue(1_000_000_000L));
        assertTrue(table.saveSnapshotIfChanged(), "on shutdown the pending change is written regardless of the interval");
        RouteTable restarted = table(snapshot);
        restarted.loadSnapshot();
        assertEquals(2, restarted.size());
    }
}
