package lifecycle.internal.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import lifecycle.internal.LifecycleConfig;
import lifecycle.internal.archive.ArchiveException;
import lifecycle.internal.archive.ArchiveStore;
import lifecycle.internal.export.ExportJobs;
import lifecycle.internal.importing.TenantImporter;
import lifecycle.internal.tables.TenantTable;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.Problem;
import platform.ProblemException;
import platform.Secrets;
import platform.StorefrontConfig;

/**
 * The operators' side of a cell's data lifecycle, on its management interface (never on the shoppers' port), with
 * the operator token ({@code Authorization: Bearer <OPERATOR_TOKEN>}; none configured: nobody):
 * <ul>
 * <li>{@code POST /q/lifecycle/shops/{id}/exports}: a full export of a shop (credentials included: what an import
 *     needs); 202 and the job; {@code GET /q/lifecycle/shops/{id}/exports/{export}}: the job, with its archive's key;</li>
 * <li>{@code POST /q/lifecycle/shops/{id}/imports} with {@code {"archive": "<key>"}}: loads an archive of the store
 *     into that shop, which must hold no data (or hold exactly that archive's: then nothing changes); 200 with the rows
 *     per table, 422 naming the table when the archive is truncated, altered or of a newer schema (nothing imported).</li>
 * </ul>
 */
@Singleton
class OperatorLifecycleRoutes {

    private static final Logger LOG = Logger.getLogger(OperatorLifecycleRoutes.class);
    private static final String PREFIX = "/q/lifecycle/shops/";

    @Inject StorefrontConfig config;
    @Inject LifecycleConfig lifecycle;
    @Inject ExportJobs jobs;
    @Inject TenantImporter importer;
    @Inject ArchiveStore store;
    @Inject ObjectMapper json;

    void install(@Observes ManagementInterface management) {
        if (config.role() != NodeRole.CELL) {
            return;
        }
        management.router().post(PREFIX + ":shop/exports").handler(BodyHandler.create().setBodyLimit(4096))
                .blockingHandler(this::export, false);
        management.router().get(PREFIX + ":shop/exports/:export").blockingHandler(this::exportJob, false);
        management.router().post(PREFIX + ":shop/imports").handler(BodyHandler.create().setBodyLimit(4096))
                .blockingHandler(this::importArchive, false);
    }

    void export(RoutingContext context) {
        answer(context, () -> {
            UUID shop = uuid(context.pathParam("shop"), "shop");
            ExportJobs.Job job = jobs.request(shop, TenantTable.Scope.FULL, "operator");
            return Map.entry(202, withKey(shop, job));
        });
    }

    void exportJob(RoutingContext context) {
        answer(context, () -> {
            UUID shop = uuid(context.pathParam("shop"), "shop");
            UUID id = uuid(context.pathParam("export"), "export");
            ExportJobs.Job job = jobs.get(shop, id).orElseThrow(() -> ProblemException.notFound("No export " + id + " of shop " + shop + "."));
            return Map.entry(200, withKey(shop, job));
        });
    }

    void importArchive(RoutingContext context) {
        answer(context, () -> {
            UUID shop = uuid(context.pathParam("shop"), "shop");
            JsonNode body;
            try {
                body = context.body().buffer() == null ? null : json.readTree(context.body().asString());
            } catch (JsonProcessingException e) {
                throw ProblemException.invalidField("archive", "the body must be a JSON object with the archive's key");
            }
            String key = body == null || !body.path("archive").isTextual() ? null : body.path("archive").asText();
            if (!ArchiveStore.validKey(key)) {
                throw ProblemException.invalidField("archive", "must be an archive key (<shop id>/<export id>.zip)");
            }
            Optional<InputStream> archive = store.open(key);
            if (archive.isEmpty()) {
                throw ProblemException.invalidField("archive", "no archive " + key + " in the store");
            }
            long started = System.nanoTime();
            try (InputStream in = archive.get()) {
                TenantImporter.Imported imported = importer.load(shop, in, lifecycle.maxDuration());
                long millis = (System.nanoTime() - started) / 1_000_000;
                LOG.infof("Imported %s into shop %s: %d rows in %d ms%s", key, shop, imported.total(), millis,
                        imported.alreadyThere() ? " (it was there already)" : "");
                return Map.entry(200, Map.of("shop", shop, "archive", key, "alreadyImported", imported.alreadyThere(),
                        "rows", imported.rows(), "total", imported.total(), "durationMs", millis,
                        "from", Map.of("shop", String.valueOf(imported.sourceTenant()), "handle", String.valueOf(imported.sourceHandle()))));
            } catch (ArchiveException e) {
                String field = e.table().map(t -> "archive.tables." + t).orElse("archive");
                throw new ProblemException(new Problem(java.net.URI.create("about:blank"), "Archive refused", 422,
                        "The archive was not imported (nothing of it was): " + e.getMessage(), null,
                        List.of(new Problem.FieldError(field, e.getMessage()))));
            } catch (TenantImporter.NotEmpty e) {
                throw ProblemException.conflict(e.getMessage());
            } catch (TenantImporter.UnknownShop e) {
                throw ProblemException.notFound(e.getMessage());
            }
        });
    }

    /** The job, and once ready the key of its archive in the store (what an import names). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> withKey(UUID shop, ExportJobs.Job job) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(json.convertValue(ExportView.of(job), Map.class));
        if ("ready".equals(job.status())) {
            out.put("archive", shop + "/" + job.id() + ".zip");
        }
        return out;
    }

    /** Work that answers a status and a body, or fails with a problem. */
    private interface Answer {
        Map.Entry<Integer, Object> get() throws IOException;
    }

    private void answer(RoutingContext context, Answer work) {
        Optional<Problem> refused = authorise(context);
        if (refused.isPresent()) {
            send(context, refused.get().status(), refused.get());
            return;
        }
        try {
            Map.Entry<Integer, Object> result = work.get();
            send(context, result.getKey(), result.getValue());
        } catch (ProblemException e) {
            e.retryAfter().ifPresent(delay -> context.response().putHeader("Retry-After", ProblemException.retryAfterSeconds(delay)));
            send(context, e.problem().status(), e.problem().withInstance(context.normalizedPath()));
        } catch (Exception e) {
            LOG.errorf(e, "Operator request %s failed", context.normalizedPath());
            send(context, 500, Problem.of(500, "Internal Server Error", "The request failed; see the cell's log."));
        }
    }

    private Optional<Problem> authorise(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"storefront-operator\"");
            return Optional.of(Problem.of(401, "Unauthorized", "An operator bearer token is required."));
        }
        Optional<String> expected = config.operatorToken().filter(token -> !token.isBlank());
        if (expected.isEmpty() || !Secrets.sameString(header.substring(7).trim(), expected.get())) {
            return Optional.of(Problem.of(403, "Forbidden", "The operator token is not valid."));
        }
        return Optional.empty();
    }

    private void send(RoutingContext context, int status, Object body) {
        try {
            context.response().setStatusCode(status)
                    .putHeader("Content-Type", status >= 400 ? Problem.MEDIA_TYPE : "application/json")
                    .end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            context.response().setStatusCode(500).end();
        }
    }

    private static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(field, "must be a UUID");
        }
    }
}
