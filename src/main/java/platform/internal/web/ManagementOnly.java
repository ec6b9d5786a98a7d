package platform.internal.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import platform.Problem;

/**
 * Nothing under {@code /q/} is served on the public port of any role: health, metrics, the API
 * description and the operator's views live on the management interface ({@code MANAGEMENT_PORT},
 * loopback by default). The check runs first on the main router and looks at the normalised path, so
 * dot-segments ({@code /api/../q/metrics}) and percent-encoded ones ({@code /api/%2e%2e/q/metrics})
 * are refused too, on a gateway before any shop lookup or forwarding.
 */
@Singleton
class ManagementOnly {

    /** Before every other route of the main router (the body limit is -2000, shopper routing -1000). */
    static final int ORDER = -3_000;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::refuseManagementPaths);
    }

    void refuseManagementPaths(RoutingContext context) {
        if (isManagementPath(context.normalizedPath())) {
            JsonObject problem = new JsonObject().put("type", "about:blank").put("title", "Not Found")
                    .put("status", 404).put("detail", "Nothing is served at this path.")
                    .put("instance", context.normalizedPath());
            context.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
            return;
        }
        context.next();
    }

    /** {@code /q} and everything below it, in any letter case (paths are case-sensitive, but refuse the lookalikes too). */
    static boolean isManagementPath(String normalisedPath) {
        if (normalisedPath == null) {
            return false;
        }
        String path = normalisedPath;
        while (path.startsWith("//")) {
            path = path.substring(1);
        }
        return path.equalsIgnoreCase("/q") || path.regionMatches(true, 0, "/q/", 0, 3);
    }
}
