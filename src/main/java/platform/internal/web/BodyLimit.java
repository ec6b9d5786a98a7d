package platform.internal.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import platform.Problem;

/**
 * Refuses a request whose declared body is larger than {@code quarkus.http.limits.max-body-size}
 * with a 413 problem before reading it (bodies without a length are cut off by the HTTP layer at the
 * same limit).
 */
@Singleton
class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(-2_000).handler(this::refuseOversizeBodies);
    }

    void refuseOversizeBodies(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > maxBodySize.asLongValue()) {
                JsonObject problem = new JsonObject().put("type", "about:blank").put("title", "Payload Too Large")
                        .put("status", 413)
                        .put("detail", "The request body is larger than " + maxBodySize.asLongValue() + " bytes.")
                        .put("instance", context.request().path());
                context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(problem.encode());
                return;
            }
        }
        context.next();
    }
}
