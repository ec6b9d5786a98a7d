package lifecycle.internal.purge;

import catalog.StorefrontCache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import lifecycle.internal.LifecycleConfig;
import lifecycle.internal.TenantWork;
import lifecycle.internal.archive.ArchiveStore;
import lifecycle.internal.tables.TenantTable;
import lifecycle.internal.tables.TenantTables;
import org.jboss.logging.Logger;
import platform.AcrossShops;
import platform.Outbox;
import platform.RoleGate;
import platform.StorefrontConfig;
import tenancy.PurgeTenant;
import tenancy.TenantContext;
import tenancy.TenantDirectory;
import tenancy.TenantProvisioned;
import tenancy.TenantPurged;
import tenancy.TenantPurges;

/**
 * The cell side of a tenant purge (docs/adr/0032). A command starts it ({@link #requested}): its record in
 * {@code lifecycle_purge}, and the tenant stops being served at once (its directory status {@code removed}: 404 on
 * every node; its cached answers invalidated). Then a job on whichever node holds the purge's lease
 * ({@link #advance}) deletes, in this order: the tenant's export archives; every row of every tenant-owned table of
 * the schema ({@link TenantTables}, so a table added later is not forgotten), in batches of
 * {@link LifecycleConfig#purgeBatchRows()} rows, each batch in its own short transaction that also adds its count to
 * the record (a crash loses no count and counts nothing twice), pausing after each batch for the duty cycle; the
 * tenant's Redis keys (every key naming its id); and last the cell's directory rows. The last transaction marks the
 * purge done and records the {@link TenantPurged} answer in the outbox under the cell's own id (the nil UUID), so that
 * no row of the tenant is left for the answer. A command for a purge that is done is answered again.
 */
@ApplicationScoped
public class PurgeJobs implements TenantPurges {

    private static final Logger LOG = Logger.getLogger(PurgeJobs.class);

    /** The id under which the cell records its own events (it is no tenant's). */
    public static final UUID CELL = new UUID(0, 0);
    /** How long a node holds a purge before another may take it over. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** How long one run of the job advances a purge before it lets go of the scheduler thread. */
    static final Duration RUN = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};

    @Inject TenantTables tables;
    @Inject TenantWork work;
    @Inject TenantDirectory directory;
    @Inject TenantContext context;
    @Inject StorefrontCache cache;
    @Inject ArchiveStore store;
    @Inject Outbox outbox;
    @Inject LifecycleConfig config;
    @Inject StorefrontConfig platform;
    @Inject ReactiveRedisDataSource redis;
    @Inject ObjectMapper json;
    @Inject AcrossShops acrossShops;

    @Override
    public void requested(PurgeTenant command) {
        String status = plain(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into lifecycle_purge (purged_tenant, command_id,"
                    + " status, requested_at, cell_id) values (?, ?, 'running', ?, ?) on conflict (purged_tenant) do nothing")) {
                insert.setObject(1, command.tenantId());
                insert.setObject(2, command.commandId());
                insert.setTimestamp(3, Timestamp.from(command.requestedAt() == null ? java.time.Instant.now() : command.requestedAt()));
                insert.setString(4, platform.cell().value());
                insert.executeUpdate();
            }
            try (PreparedStatement stop = connection.prepareStatement("update tenancy_tenant set status = 'removed'"
                    + " where tenant_id = ? and status <> 'removed'")) {
                stop.setObject(1, command.tenantId());
                stop.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("select status from lifecycle_purge where purged_tenant = ?")) {
                select.setObject(1, command.tenantId());
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getString(1);
                }
            }
        });
        directory.invalidate(); // the shop is not served any more, on every node
        if ("done".equals(status)) {
            answer(command.tenantId()); // the control plane asks again: it did not get the answer
        } else {
            cache.invalidate(command.tenantId());
            LOG.infof("Purge of tenant %s requested (command %s)", command.tenantId(), command.commandId());
        }
    }

    /** Advances the purges this node holds or can take, for a bounded time a run. */
    @Scheduled(every = "${storefront.lifecycle.purge-every:1s}", skipExecutionIf = RoleGate.NotCell.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void advance() {
        long until = System.nanoTime() + RUN.toNanos();
        Optional<UUID> claimed;
        while (System.nanoTime() < until && (claimed = claim()).isPresent()) {
            UUID tenant = claimed.get();
            try {
                if (purge(tenant, until)) {
                    finish(tenant);
                    answer(tenant);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Purge of tenant %s stopped; it resumes at the next run", tenant);
                return;
            }
        }
    }

    /** Deletes what is left of the tenant until done (true) or out of time (false: the next run goes on). */
    private boolean purge(UUID tenant, long until) {
        archives(tenant);
        List<TenantTable> order = new ArrayList<>();
        for (TenantTable table : tables.catalogue().tables()) {
            if (table.role() != TenantTable.Role.DIRECTORY) {
                order.add(table);
            }
        }
        // passes until one finds nothing: a request that was in flight when the shop stopped being served may commit
        // a row after its table's pass
        boolean any = true;
        while (any) {
            any = false;
            for (TenantTable table : order) {
                while (true) {
                    if (System.nanoTime() >= until) {
                        return false;
                    }
                    long started = System.nanoTime();
                    int deleted = deleteBatch(tenant, table);
                    any |= deleted > 0;
                    pause(System.nanoTime() - started);
                    if (deleted < config.purgeBatchRows()) {
                        break;
                    }
                }
            }
        }
        long keys = redisKeys(tenant);
        plain(connection -> {
            try (PreparedStatement update = connection.prepareStatement("update lifecycle_purge set redis_keys = redis_keys + ?"
                    + " where purged_tenant = ?")) {
                update.setLong(1, keys);
                update.setObject(2, tenant);
                return update.executeUpdate();
            }
        });
        return true;
    }

    /** One batch of one table, its count added to the record in the same transaction. */
    private int deleteBatch(UUID tenant, TenantTable table) {
        return work.call(tenant, false, SHORT, connection -> {
            int deleted;
            try (PreparedStatement delete = connection.prepareStatement(table.deleteBatch(config.purgeBatchRows()))) {
                delete.setObject(1, tenant);
                delete.setObject(2, tenant);
                deleted = delete.executeUpdate();
            }
            if (deleted > 0) {
                try (PreparedStatement count = connection.prepareStatement("update lifecycle_purge set deleted_rows ="
                        + " jsonb_set(deleted_rows, array[?], to_jsonb(coalesce((deleted_rows ->> ?)::bigint, 0) + ?)),"
                        + " batches = batches + 1, claimed_until = now() + make_interval(secs => ?) where purged_tenant = ?")) {
                    count.setString(1, table.name());
                    count.setString(2, table.name());
                    count.setLong(3, deleted);
                    count.setLong(4, LEASE.toSeconds());
                    count.setObject(5, tenant);
                    count.executeUpdate();
                }
            }
            return deleted;
        });
    }

    /** Deletes the archive files of the tenant's exports (their rows go with the tables). */
    private void archives(UUID tenant) {
        List<String> keys = work.call(tenant, false, SHORT, connection -> {
            List<String> found = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select archive_key from lifecycle_export"
                    + " where tenant_id = ? and archive_key is not null and status = 'ready'")) {
                select.setObject(1, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                }
            }
            return found;
        });
        long deleted = 0;
        for (String key : keys) {
            try {
                store.delete(key);
                deleted++;
            } catch (IOException | IllegalArgumentException e) {
                LOG.warnf("Could not delete the archive %s of purged tenant %s: %s", key, tenant, e.getMessage());
                throw new IllegalStateException("archive " + key + " not deleted", e);
            }
        }
        if (deleted > 0) {
            long count = deleted;
            work.call(tenant, false, SHORT, connection -> {
                try (PreparedStatement update = connection.prepareStatement("update lifecycle_export set status = 'expired',"
                        + " archive_key = null where tenant_id = ? and status = 'ready'");
                     PreparedStatement record = connection.prepareStatement("update lifecycle_purge set archives = archives + ?"
                        + " where purged_tenant = ?")) {
                    update.setObject(1, tenant);
                    update.executeUpdate();
                    record.setLong(1, count);
                    record.setObject(2, tenant);
                    record.executeUpdate();
                }
                return null;
            });
        }
    }

    /** Removes every key of the cell's Redis that names the tenant (they all carry its id); returns how many. */
    private long redisKeys(UUID tenant) {
        String cursor = "0";
        long removed = 0;
        do {
            Response page = redis.execute(Command.SCAN, cursor, "MATCH", "*" + tenant + "*", "COUNT", "1000")
                    .await().atMost(Duration.ofSeconds(5));
            cursor = page.get(0).toString();
            Response keys = page.get(1);
            if (keys.size() > 0) {
                List<String> arguments = new ArrayList<>();
                keys.forEach(key -> arguments.add(key.toString()));
                Response unlinked = redis.execute(Command.UNLINK, arguments.toArray(String[]::new)).await().atMost(Duration.ofSeconds(5));
                removed += unlinked.toLong();
            }
        } while (!"0".equals(cursor));
        return removed;
    }

    /** The directory rows last (the tenant stops existing on this cell), and the record done, in one transaction. */
    private void finish(UUID tenant) {
        plain(connection -> {
            for (TenantTable table : tables.catalogue().tables()) {
                if (table.role() == TenantTable.Role.DIRECTORY && !table.name().equals("tenancy_tenant")) {
                    count(connection, tenant, table.name(), deleteAll(connection, table, tenant));
                }
            }
            tables.catalogue().table("tenancy_tenant").ifPresent(table -> {
                try {
                    count(connection, tenant, table.name(), deleteAll(connection, table, tenant));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (PreparedStatement done = connection.prepareStatement("update lifecycle_purge set status = 'done', finished_at = now(),"
                    + " claimed_by = null, claimed_until = null where purged_tenant = ?")) {
                done.setObject(1, tenant);
                done.executeUpdate();
            }
            return null;
        });
        directory.invalidate();
    }

    /** Records the answer to the control plane in the outbox (under the cell's own id), from the purge's record. */
    private void answer(UUID tenant) {
        // bound to the cell's own id for the whole unit of work: the outbox writes through the persistence unit, whose
        // sessions take the bound tenant (on a consumer's thread as on the scheduler's)
        context.callAs(CELL, () -> work.call(CELL, false, SHORT, connection -> {
            try (PreparedStatement select = connection.prepareStatement("select command_id, deleted_rows::text, redis_keys, archives,"
                    + " started_at, finished_at from lifecycle_purge where purged_tenant = ? and status = 'done'")) {
                select.setObject(1, tenant);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    Map<String, Long> rows = new LinkedHashMap<>(json.readValue(row.getString(2), COUNTS));
                    TenantPurged purged = new TenantPurged(row.getObject(1, UUID.class), tenant, platform.cell().value(), rows,
                            row.getLong(3), row.getLong(4), row.getTimestamp(5).toInstant(), row.getTimestamp(6).toInstant());
                    outbox.record(CELL, TenantProvisioned.TOPIC, tenant.toString(), TenantPurged.TYPE, purged);
                    LOG.infof("Purge of tenant %s done: %d rows, %d Redis keys, %d archives", tenant,
                            rows.values().stream().mapToLong(Long::longValue).sum(), purged.redisKeys(), purged.archives());
                }
            }
            return null;
        }));
    }

    /** The next running purge this node may advance: its lease taken (or renewed) for {@link #LEASE}. */
    private Optional<UUID> claim() {
        String holder = platform.platform().prefixed("purge-" + platform.cell().value()) + "-" + platform.nodeId();
        return plain(connection -> {
            try (PreparedStatement claim = connection.prepareStatement("update lifecycle_purge set claimed_by = ?,"
                    + " claimed_until = now() + make_interval(secs => ?) where purged_tenant = (select purged_tenant"
                    + " from lifecycle_purge where status = 'running' and cell_id = ? and (claimed_until is null or claimed_until < now()"
                    + " or claimed_by = ?) order by requested_at limit 1 for update skip locked) returning purged_tenant")) {
                claim.setString(1, holder);
                claim.setLong(2, LEASE.toSeconds());
                claim.setString(3, platform.cell().value());
                claim.setString(4, holder);
                try (ResultSet row = claim.executeQuery()) {
                    return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.<UUID>empty();
                }
            }
        });
    }

    private void pause(long batchNanos) {
        int duty = Math.max(1, Math.min(100, config.purgeDutyPercent()));
        long pause = batchNanos * (100 - duty) / duty;
        if (pause > 0) {
            LockSupport.parkNanos(Math.min(pause, Duration.ofSeconds(1).toNanos()));
        }
    }

    private static int deleteAll(Connection connection, TenantTable table, UUID tenant) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(table.deleteAll())) {
            delete.setObject(1, tenant);
            return delete.executeUpdate();
        }
    }

    private static void count(Connection connection, UUID tenant, String table, long deleted) throws SQLException {
        if (deleted == 0) {
            return;
        }
        try (PreparedStatement count = connection.prepareStatement("update lifecycle_purge set deleted_rows = jsonb_set(deleted_rows,"
                + " array[?], to_jsonb(coalesce((deleted_rows ->> ?)::bigint, 0) + ?)) where purged_tenant = ?")) {
            count.setString(1, table);
            count.setString(2, table);
            count.setLong(3, deleted);
            count.setObject(4, tenant);
            count.executeUpdate();
        }
    }

    /** Work in a short transaction of its own that is no tenant's (the cell's directory and purge records). */
    private <T> T plain(AcrossShops.Work<T> body) {
        return acrossShops.call("app.lifecycle_purge", body);
    }
}
