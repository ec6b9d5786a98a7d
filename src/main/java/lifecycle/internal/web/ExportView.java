package lifecycle.internal.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import lifecycle.internal.export.ExportJobs;

/**
 * An export as the API shows it.
 *
 * @param status   {@code running}, {@code ready} (its archive can be downloaded), {@code failed} or {@code expired}
 *                 (its archive was deleted after the retention)
 * @param rows     rows written so far (all of them once ready)
 * @param manifest once ready: the archive's manifest (tables, their rows and SHA-256 checksums)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportView(UUID id, String scope, String status, String requestedBy, long rows, Long sizeBytes,
                         Instant createdAt, Instant finishedAt, Instant expiresAt, String error, JsonNode manifest) {

    static ExportView of(ExportJobs.Job job) {
        return new ExportView(job.id(), job.scope(), job.status(), job.requestedBy(), job.rows(), job.sizeBytes(),
                job.createdAt(), job.finishedAt(), job.expiresAt(), job.error(), job.manifest());
    }
}
