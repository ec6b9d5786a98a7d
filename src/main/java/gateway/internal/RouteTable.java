package gateway.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import platform.StorefrontConfig;
import org.jboss.logging.Logger;
import tenancy.TenantRoute;

/**
 * The gateway's routes, in memory: host name -> tenant, cell and limits. Fed from the control plane's
 * compacted route topic; kept on local disk as a snapshot so that a gateway restarted while the
 * control plane (or Kafka) is down serves every known host at once.
 */
@ApplicationScoped
public class RouteTable {

    private static final Logger LOG = Logger.getLogger(RouteTable.class);

    private final ConcurrentHashMap<String, TenantRoute> routes = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private volatile long savedChanges;
    private volatile boolean loaded;
    /** Shortest time between two snapshot writes while routes keep changing. */
    static final long SNAPSHOT_INTERVAL_NANOS = 5_000_000_000L;
    private volatile long lastSaveNanos = Long.MIN_VALUE / 2;

    @Inject ObjectMapper json;
    @Inject jakarta.enterprise.inject.Instance<gateway.internal.edgecache.EdgeCache> edge;

    @Inject StorefrontConfig config;

    /** The route of a normalised host name; removed hosts have none. */
    public Optional<TenantRoute> route(String host) {
        return Optional.ofNullable(routes.get(host));
    }

    public int size() {
        return routes.size();
    }

    /** Whether routes are known: from a snapshot or from the topic. */
    public boolean loaded() {
        return loaded;
    }

    void markLoaded() {
        loaded = true;
    }

    /** Applies one route from the topic (a removed host is dropped). */
    void apply(TenantRoute route) {
        if (route == null || route.host() == null) {
            return;
        }
        TenantRoute before;
        if ("removed".equals(route.status())) {
            before = routes.remove(route.host());
        } else {
            before = routes.put(route.host(), route);
        }
        // a host no longer served, or served for another tenant: its tenant's edge entries go at once
        if (edge != null && before != null && before.tenantId() != null
                && (!"active".equals(route.status()) || !before.tenantId().equals(route.tenantId()))) {
            edge.get().forget(before.tenantId());
        }
        changes.incrementAndGet();
    }

    /** Loads the snapshot left by an earlier run, if any. */
    void loadSnapshot() {
        Path path = Path.of(config.routeSnapshot());
        if (!Files.exists(path)) {
            return;
        }
        try {
            List<TenantRoute> saved = json.readValue(path.toFile(), new TypeReference<List<TenantRoute>>() {});
            saved.forEach(route -> routes.put(route.host(), route));
            loaded = true;
            LOG.infof("Loaded %d routes from the snapshot %s", saved.size(), path);
        } catch (IOException e) {
            LOG.warnf("Ignored an unreadable route snapshot %s: %s", path, e.getMessage());
        }
    }

    /**
     * Writes the snapshot while routes flow, at most once per {@link #SNAPSHOT_INTERVAL_NANOS}: with
     * millions of routes a snapshot is hundreds of megabytes, so a burst of changes is written once,
     * after it, not once per poll. Returns whether it wrote.
     */
    boolean saveSnapshotIfDue(long nowNanos) {
        if (changes.get() == savedChanges || nowNanos - lastSaveNanos < SNAPSHOT_INTERVAL_NANOS) {
            return false;
        }
        lastSaveNanos = nowNanos;
        return saveSnapshotIfChanged();
    }

    /** Writes the snapshot if routes changed since the last one (atomically: never a half-written file). */
    boolean saveSnapshotIfChanged() {
        long now = changes.get();
        if (now == savedChanges) {
            return false;
        }
        Path path = Path.of(config.routeSnapshot()).toAbsolutePath();
        try {
            Files.createDirectories(path.getParent());
            Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
            json.writeValue(temporary.toFile(), new ArrayList<>(routes.values()));
            try {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
            savedChanges = now;
            return true;
        } catch (IOException e) {
            LOG.warnf("Could not write the route snapshot %s: %s", path, e.getMessage());
            return false;
        }
    }
}
