package gateway.internal;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import platform.HostNames;
import platform.NodeRole;
import platform.Problem;
import platform.StorefrontConfig;

/**
 * On a gateway, every request outside {@code /q/} is shopper traffic for some shop's host name and
 * never reaches the node's own REST endpoints. A host with no route is answered with a 404 problem.
 */
@Singleton
class ShopperRoutes {

    @Inject StorefrontConfig config;

    void install(@Observes Router router) {
        if (config.role() != NodeRole.GATEWAY) {
            return;
        }
        router.routeWithRegex("^(?!/q/).*").order(-1_000).handler(this::route);
    }

    void route(RoutingContext context) {
        String host = HostNames.normalise(context.request().getHeader("Host")).orElse("");
        unknownHost(context, host);
    }

    private static void unknownHost(RoutingContext context, String host) {
        JsonObject problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", "Unknown shop")
                .put("status", 404)
                .put("detail", host.isEmpty() ? "The request names no valid host." : "No shop is served at " + host + ".")
                .put("instance", context.request().path());
        context.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
    }
}
