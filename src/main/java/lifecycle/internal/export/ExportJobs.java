package lifecycle.internal.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import lifecycle.internal.LifecycleConfig;
import lifecycle.internal.TenantWork;
import lifecycle.internal.archive.ArchiveStore;
import lifecycle.internal.archive.Manifest;
import lifecycle.internal.tables.TenantTable;
import org.jboss.logging.Logger;
import platform.AcrossShops;
import platform.Problem;
import platform.ProblemException;
import platform.RoleGate;
import platform.Secrets;

/**
 * Exports as jobs: asked for, run in the background on the node that took the request (at most
 * {@link LifecycleConfig#exportsAtOnce()} at once, one at a time per shop, at most {@value #PER_DAY} a day per shop),
 * their state in {@code lifecycle_export}. A running export notes its progress every few seconds; one that stopped
 * noting it (its node died) is marked failed by the sweep, which also deletes archives past their retention. A ready
 * archive is downloaded with a link that works for {@link LifecycleConfig#linkTtl()} (its token's digest is kept; a new
 * link replaces the last one).
 */
@ApplicationScoped
public class ExportJobs {

    private static final Logger LOG = Logger.getLogger(ExportJobs.class);

    /** Exports a shop may ask for within a day. */
    static final int PER_DAY = 5;
    /** A running export whose progress is older than this has stopped (its node is gone). */
    static final Duration STALLED = Duration.ofMinutes(5);
    /** How long the record of an expired or failed export is kept. */
    static final Duration RECORDS_KEPT = Duration.ofDays(30);
    /** How often a running export notes its progress. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofSeconds(10);
    private static final String COLUMNS = "export_id, scope, requested_by, status, size_bytes, row_count, manifest::text, error,"
            + " created_at, finished_at, expires_at";

    /** An export as its owner or an operator sees it. */
    public record Job(UUID id, String scope, String requestedBy, String status, Long sizeBytes, long rows, JsonNode manifest,
                      String error, Instant createdAt, Instant finishedAt, Instant expiresAt) {}

    /** A download link's token and until when it works. */
    public record Link(String token, Instant expiresAt) {}

    /** What a download link opens: the archive's key, or why not. */
    public record Download(Optional<String> archiveKey, boolean expired) {}

    @Inject TenantWork work;
    @Inject TenantExporter exporter;
    @Inject ArchiveStore store;
    @Inject LifecycleConfig config;
    @Inject AcrossShops acrossShops;
    @Inject ObjectMapper json;
    @Inject Clock clock;

    private volatile ThreadPoolExecutor runner;

    /** Starts an export of the shop, or returns the one that is running. */
    public Job request(UUID tenant, TenantTable.Scope scope, String requestedBy) {
        Job job = work.call(tenant, false, SHORT, connection -> {
            try (PreparedStatement served = connection.prepareStatement("select exists (select 1 from tenancy_tenant"
                    + " where tenant_id = ? and status <> 'removed')")) {
                served.setObject(1, tenant);
                try (ResultSet row = served.executeQuery()) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        throw ProblemException.notFound("No shop " + tenant + " on this cell (or it is being purged).");
                    }
                }
            }
            Optional<Job> running = first(connection, "select " + COLUMNS + " from lifecycle_export where tenant_id = ?"
                    + " and status = 'running' order by created_at desc limit 1", tenant);
            if (running.isPresent()) {
                return running.get();
            }
            try (PreparedStatement count = connection.prepareStatement("select count(*) from lifecycle_export where tenant_id = ?"
                    + " and created_at > now() - interval '1 day' and status <> 'failed'")) {
                count.setObject(1, tenant);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    if (row.getLong(1) >= PER_DAY) {
                        throw new ProblemException(Problem.of(429, "Too Many Requests",
                                "A shop may export at most " + PER_DAY + " times a day; the archives made today are still there."),
                                Duration.ofHours(1));
                    }
                }
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = connection.prepareStatement("insert into lifecycle_export (tenant_id, export_id, scope,"
                    + " requested_by, status) values (?, ?, ?, ?, 'running')")) {
                insert.setObject(1, tenant);
                insert.setObject(2, id);
                insert.setString(3, scope.wire());
                insert.setString(4, requestedBy);
                insert.executeUpdate();
            }
            return first(connection, "select " + COLUMNS + " from lifecycle_export where tenant_id = ? and export_id = ?", tenant, id)
                    .orElseThrow();
        });
        if ("running".equals(job.status()) && job.createdAt() != null) {
            try {
                runner().execute(() -> run(tenant, job.id(), scope));
            } catch (RejectedExecutionException full) {
                finish(tenant, job.id(), "failed", null, null, null, "this node runs too many exports now: ask again later");
                throw new ProblemException(Problem.of(503, "Service Unavailable",
                        "This cell runs too many exports now; ask again in a minute."), Duration.ofMinutes(1));
            }
        }
        return job;
    }

    /** The shop's exports, the latest first. */
    public List<Job> list(UUID tenant, int limit) {
        return work.call(tenant, false, SHORT, connection -> {
            List<Job> jobs = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select " + COLUMNS + " from lifecycle_export"
                    + " where tenant_id = ? order by created_at desc limit " + Math.max(1, Math.min(limit, 100)))) {
                select.setObject(1, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        jobs.add(job(rows));
                    }
                }
            }
            return jobs;
        });
    }

    /** One export of the shop. */
    public Optional<Job> get(UUID tenant, UUID id) {
        return work.call(tenant, false, SHORT, connection -> first(connection, "select " + COLUMNS
                + " from lifecycle_export where tenant_id = ? and export_id = ?", tenant, id));
    }

    /** A new download link for a ready export (the previous link stops working); empty if it is not ready. */
    public Optional<Link> link(UUID tenant, UUID id) {
        String token = Secrets.randomToken("sfx_");
        Instant until = clock.instant().plus(config.linkTtl());
        boolean made = work.call(tenant, false, SHORT, connection -> {
            try (PreparedStatement update = connection.prepareStatement("update lifecycle_export set link_digest = ?,"
                    + " link_expires_at = ? where tenant_id = ? and export_id = ? and status = 'ready'")) {
                update.setString(1, Secrets.digest(token));
                update.setTimestamp(2, Timestamp.from(until));
                update.setObject(3, tenant);
                update.setObject(4, id);
                return update.executeUpdate() == 1;
            }
        });
        return made ? Optional.of(new Link(token, until)) : Optional.empty();
    }

    /** What a download link opens. */
    public Download download(UUID tenant, UUID id, String token) {
        return work.call(tenant, false, SHORT, connection -> {
            try (PreparedStatement select = connection.prepareStatement("select archive_key, link_digest, link_expires_at"
                    + " from lifecycle_export where tenant_id = ? and export_id = ? and status = 'ready'")) {
                select.setObject(1, tenant);
                select.setObject(2, id);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next() || row.getString(2) == null || !Secrets.sameString(row.getString(2), Secrets.digest(token))) {
                        return new Download(Optional.empty(), false);
                    }
                    if (row.getTimestamp(3).toInstant().isBefore(clock.instant())) {
                        return new Download(Optional.empty(), true);
                    }
                    return new Download(Optional.of(row.getString(1)), false);
                }
            }
        });
    }

    private void run(UUID tenant, UUID id, TenantTable.Scope scope) {
        String key = tenant + "/" + id + ".zip";
        long[] noted = {System.nanoTime()};
        try (ArchiveStore.Upload upload = store.create(key)) {
            Manifest manifest = exporter.export(tenant, scope, upload.stream(), config.maxDuration(), rows -> {
                if (System.nanoTime() - noted[0] >= PROGRESS_EVERY.toNanos()) {
                    noted[0] = System.nanoTime();
                    progress(tenant, id, rows);
                }
            });
            upload.commit();
            Long size = store.size(key).orElse(null);
            finish(tenant, id, "ready", key, size, manifest, null);
            LOG.infof("Export %s of shop %s ready: %d rows, %d bytes", id, tenant, manifest.rows(), size);
        } catch (Exception e) {
            LOG.errorf(e, "Export %s of shop %s failed", id, tenant);
            finish(tenant, id, "failed", null, null, null, "the export failed: " + e.getClass().getSimpleName());
        }
    }

    private void progress(UUID tenant, UUID id, long rows) {
        try {
            work.call(tenant, false, SHORT, connection -> {
                try (PreparedStatement update = connection.prepareStatement("update lifecycle_export set row_count = ?,"
                        + " updated_at = now() where tenant_id = ? and export_id = ? and status = 'running'")) {
                    update.setLong(1, rows);
                    update.setObject(2, tenant);
                    update.setObject(3, id);
                    return update.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Could not note the progress of export %s: %s", id, e.getMessage());
        }
    }

    private void finish(UUID tenant, UUID id, String status, String key, Long size, Manifest manifest, String error) {
        work.call(tenant, false, SHORT, connection -> {
            try (PreparedStatement update = connection.prepareStatement("update lifecycle_export set status = ?, archive_key = ?,"
                    + " size_bytes = ?, row_count = coalesce(?, row_count), manifest = ?::jsonb, error = ?, updated_at = now(),"
                    + " finished_at = now(), expires_at = ? where tenant_id = ? and export_id = ?")) {
                update.setString(1, status);
                update.setString(2, key);
                update.setObject(3, size);
                update.setObject(4, manifest == null ? null : manifest.rows());
                update.setString(5, manifest == null ? null : json.writeValueAsString(manifest));
                update.setString(6, error);
                update.setTimestamp(7, "ready".equals(status) ? Timestamp.from(clock.instant().plus(config.archiveRetention())) : null);
                update.setObject(8, tenant);
                update.setObject(9, id);
                return update.executeUpdate();
            }
        });
    }

    /** Fails exports whose node stopped, and deletes archives past their retention (bounded batches, every shop). */
    @Scheduled(every = "${storefront.lifecycle.sweep-every:1m}", skipExecutionIf = RoleGate.NotCell.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        acrossShops.call("app.lifecycle_sweep", connection -> {
            try (PreparedStatement stalled = connection.prepareStatement("update lifecycle_export set status = 'failed',"
                    + " error = 'interrupted: the node that ran it stopped', finished_at = now(), updated_at = now()"
                    + " where status = 'running' and updated_at < now() - make_interval(secs => ?)")) {
                stalled.setLong(1, STALLED.toSeconds());
                stalled.executeUpdate();
            }
            List<String[]> expired = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select tenant_id::text, export_id::text, archive_key"
                    + " from lifecycle_export where status = 'ready' and expires_at < now() limit 100")) {
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        expired.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                    }
                }
            }
            for (String[] row : expired) {
                try {
                    store.delete(row[2]);
                } catch (IOException e) {
                    LOG.warnf("Could not delete the expired archive %s: %s", row[2], e.getMessage());
                    continue;
                }
                try (PreparedStatement update = connection.prepareStatement("update lifecycle_export set status = 'expired',"
                        + " link_digest = null, updated_at = now() where tenant_id = ?::uuid and export_id = ?::uuid")) {
                    update.setString(1, row[0]);
                    update.setString(2, row[1]);
                    update.executeUpdate();
                }
            }
            // the record of an export is kept a while after its archive went (what was exported, when, by whom)
            try (PreparedStatement old = connection.prepareStatement("delete from lifecycle_export where status in ('expired', 'failed')"
                    + " and updated_at < now() - make_interval(secs => ?)")) {
                old.setLong(1, RECORDS_KEPT.toSeconds());
                old.executeUpdate();
            }
            return expired.size();
        });
    }

    private synchronized ThreadPoolExecutor runner() {
        if (runner == null) {
            int threads = Math.max(1, config.exportsAtOnce());
            ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                    new ArrayBlockingQueue<>(64), Thread.ofPlatform().name("tenant-export-", 0).daemon(true).factory());
            executor.allowCoreThreadTimeOut(true);
            runner = executor;
        }
        return runner;
    }

    void stop(@Observes ShutdownEvent event) {
        ThreadPoolExecutor executor = runner;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private Optional<Job> first(Connection connection, String sql, UUID... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(job(rows)) : Optional.empty();
            }
        }
    }

    private Job job(ResultSet rows) throws SQLException {
        JsonNode manifest;
        try {
            String text = rows.getString(7);
            manifest = text == null ? null : json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Job(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getString(4),
                (Long) rows.getObject(5), rows.getLong(6), manifest, rows.getString(8), instant(rows.getTimestamp(9)),
                instant(rows.getTimestamp(10)), instant(rows.getTimestamp(11)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
