package platform.internal.bulkhead;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import platform.NodeRole;
import platform.StorefrontConfig;
import platform.bulkhead.TrafficClass;

/**
 * The operator's view of a cell node's bulkhead, {@code GET /q/cell/bulkhead} on the management
 * interface only (it names tenants): capacity, the share one tenant may hold now, per class what
 * runs and waits, and the tenants with the most database time recently.
 */
@Singleton
class BulkheadView {

    static final int TOP = 20;

    @Inject StorefrontConfig config;
    @Inject TenantBulkheadImpl bulkhead;

    void install(@Observes ManagementInterface management) {
        if (config.role() != NodeRole.CELL) {
            return;
        }
        management.router().get("/q/cell/bulkhead").handler(this::view);
    }

    void view(RoutingContext context) {
        JsonObject body = new JsonObject();
        bulkhead.snapshot().ifPresent(s -> {
            body.put("capacity", s.capacity()).put("inFlight", s.inFlight()).put("busyTenants", s.busyTenants())
                    .put("tenantShare", s.tenantShare()).put("waitingForCapacity", s.waitingForCapacity());
            JsonObject classes = new JsonObject();
            for (TrafficClass c : TrafficClass.values()) {
                classes.put(c.tag(), new JsonObject().put("inFlight", s.held().get(c)).put("waiting", s.waiting().get(c)));
            }
            body.put("classes", classes);
        });
        JsonArray heaviest = new JsonArray();
        bulkhead.heaviestTenants(TOP).forEach(load -> heaviest.add(new JsonObject()
                .put("tenantId", load.tenantId().toString())
                .put("databaseSeconds", Math.round(load.databaseTime().toNanos() / 1e6) / 1000.0)
                .put("overSeconds", Math.round(load.over().toNanos() / 1e6) / 1000.0)
                .put("connections", Math.round(load.connections() * 1000) / 1000.0)));
        body.put("heaviestTenants", heaviest);
        context.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
