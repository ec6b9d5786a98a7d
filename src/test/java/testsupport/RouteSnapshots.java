package testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import tenancy.TenantRoute;

/** Route snapshot files for a gateway started on its own ({@link Node#gateway(String)}). */
public final class RouteSnapshots {

    private RouteSnapshots() {}

    /** A snapshot of one active shop whose cell is never reached, and the shop's host. */
    public record OneRoute(String host, Path snapshot) {}

    /**
     * Writes target/gateway-routes-{name}.json with one active shop, host {name}.shops.localhost, of the given limit,
     * on a cell at a port nothing listens on (for tests that look only at the gateway).
     */
    public static OneRoute unreachableShop(String name, int requestsPerSecond, int burst) throws IOException {
        String host = name + ".shops.localhost";
        Path snapshot = Path.of("target/gateway-routes-" + name + ".json").toAbsolutePath();
        TenantRoute route = new TenantRoute(host, UUID.randomUUID(), name, name.replace("-", ""), "http://127.0.0.1:1",
                "active", requestsPerSecond, burst);
        new ObjectMapper().writeValue(snapshot.toFile(), List.of(route));
        return new OneRoute(host, snapshot);
    }
}
