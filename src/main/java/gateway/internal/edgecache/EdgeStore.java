package gateway.internal.edgecache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The entries of the edge cache, bounded in bytes twice: globally (Caffeine's weighted bound, its
 * W-TinyLFU policy choosing victims among all shops) and per tenant (a shelf per tenant keeps its
 * entries in least-recently-used order and its byte count: a shop over its share evicts its own least
 * recently used entries, never another shop's). Each shelf also indexes its entries by surrogate key,
 * for purges; the index is cleaned whenever an entry leaves, whatever the cause.
 *
 * <p>Locking: a shelf's lock is taken inside Caffeine's per-key compute, or alone by the removal
 * listener and by purges; no cache operation is ever made while a shelf's lock is held.
 */
final class EdgeStore {

    /** Why entries left the cache, as counted: {@code size} (global budget), {@code tenant-budget}, {@code expired}, {@code purged}. */
    static final String SIZE = "size";
    static final String TENANT_BUDGET = "tenant-budget";
    static final String EXPIRED = "expired";
    static final String PURGED = "purged";

    record TenantUsage(UUID tenantId, long bytes, int entries) {}

    private final long maxBytes;
    private final long tenantMaxBytes;
    private final Cache<EdgeKey, EdgeEntry> cache;
    private final Map<UUID, Shelf> shelves = new ConcurrentHashMap<>();
    private final Consumer<String> evicted;

    private static final class Shelf {
        final LinkedHashMap<EdgeKey, EdgeEntry> live = new LinkedHashMap<>(16, 0.75f, true);
        final Map<String, Set<EdgeKey>> index = new HashMap<>();
        long bytes;
        boolean retired;

        void add(EdgeEntry entry) {
            EdgeEntry old = live.put(entry.key, entry);
            if (old != null) {
                forget(old);
            }
            bytes += entry.weight;
            for (String k : entry.surrogateKeys) {
                index.computeIfAbsent(k, x -> new HashSet<>()).add(entry.key);
            }
        }

        boolean remove(EdgeEntry entry) {
            if (live.get(entry.key) != entry) {
                return false;
            }
            live.remove(entry.key);
            forget(entry);
            return true;
        }

        private void forget(EdgeEntry entry) {
            bytes -= entry.weight;
            for (String k : entry.surrogateKeys) {
                Set<EdgeKey> keys = index.get(k);
                if (keys != null) {
                    keys.remove(entry.key);
                    if (keys.isEmpty()) {
                        index.remove(k);
                    }
                }
            }
        }
    }

    /**
     * @param executor where Caffeine runs its maintenance and removal listener ({@code Runnable::run} in tests)
     * @param evicted told the cause of every entry that leaves other than by replacement
     */
    EdgeStore(long maxBytes, long tenantMaxBytes, Ticker ticker, Executor executor, Consumer<String> evicted) {
        this.maxBytes = maxBytes;
        this.tenantMaxBytes = tenantMaxBytes;
        this.evicted = evicted;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((EdgeKey k, EdgeEntry e) -> e.weight)
                .expireAfter(new Expiry<EdgeKey, EdgeEntry>() {
                    @Override
                    public long expireAfterCreate(EdgeKey key, EdgeEntry entry, long now) {
                        return TimeUnit.MILLISECONDS.toNanos(entry.retainMillis());
                    }

                    @Override
                    public long expireAfterUpdate(EdgeKey key, EdgeEntry entry, long now, long current) {
                        return TimeUnit.MILLISECONDS.toNanos(entry.retainMillis());
                    }

                    @Override
                    public long expireAfterRead(EdgeKey key, EdgeEntry entry, long now, long current) {
                        return current;
                    }
                })
                .ticker(ticker)
                .executor(executor)
                .removalListener((EdgeKey key, EdgeEntry entry, RemovalCause cause) -> removed(entry, cause))
                .build();
    }

    long maxBytes() {
        return maxBytes;
    }

    long tenantMaxBytes() {
        return tenantMaxBytes;
    }

    EdgeEntry get(EdgeKey key) {
        EdgeEntry entry = cache.getIfPresent(key);
        if (entry != null) {
            Shelf shelf = shelves.get(key.tenantId());
            if (shelf != null) {
                synchronized (shelf) {
                    shelf.live.get(key); // most recently used
                }
            }
        }
        return entry;
    }

    /**
     * Keeps an entry (replacing the one of its key), then evicts the tenant's least recently used
     * entries while the tenant is over its budget. An entry bigger than the tenant's budget is not kept.
     *
     * @return whether it was kept
     */
    boolean put(EdgeEntry entry) {
        if (entry.weight > tenantMaxBytes || entry.weight > maxBytes) {
            return false;
        }
        List<EdgeEntry> victims = new ArrayList<>();
        cache.asMap().compute(entry.key, (k, old) -> {
            while (true) {
                Shelf shelf = shelves.computeIfAbsent(k.tenantId(), t -> new Shelf());
                synchronized (shelf) {
                    if (shelf.retired) {
                        continue;
                    }
                    shelf.add(entry);
                    Iterator<EdgeEntry> eldest = shelf.live.values().iterator();
                    while (shelf.bytes > tenantMaxBytes && eldest.hasNext()) {
                        EdgeEntry victim = eldest.next();
                        if (victim == entry) {
                            continue;
                        }
                        eldest.remove();
                        shelf.forget(victim);
                        victims.add(victim);
                    }
                    return entry;
                }
            }
        });
        for (EdgeEntry victim : victims) {
            if (cache.asMap().remove(victim.key, victim)) {
                evicted.accept(TENANT_BUDGET);
            }
        }
        return true;
    }

    /** Removes the tenant's entries labelled with any of the keys; returns how many. */
    int purge(UUID tenantId, Set<String> surrogateKeys) {
        Shelf shelf = shelves.get(tenantId);
        if (shelf == null) {
            return 0;
        }
        List<EdgeEntry> doomed = new ArrayList<>();
        synchronized (shelf) {
            for (String k : surrogateKeys) {
                for (EdgeKey key : shelf.index.getOrDefault(k, Set.of())) {
                    EdgeEntry e = shelf.live.get(key);
                    if (e != null) {
                        doomed.add(e);
                    }
                }
            }
        }
        return drop(shelf, doomed);
    }

    /** Removes every entry of the tenant; returns how many. */
    int purgeTenant(UUID tenantId) {
        Shelf shelf = shelves.get(tenantId);
        if (shelf == null) {
            return 0;
        }
        List<EdgeEntry> doomed;
        synchronized (shelf) {
            doomed = new ArrayList<>(shelf.live.values());
        }
        return drop(shelf, doomed);
    }

    private int drop(Shelf shelf, List<EdgeEntry> doomed) {
        int dropped = 0;
        for (EdgeEntry e : doomed) {
            synchronized (shelf) {
                shelf.remove(e);
            }
            if (cache.asMap().remove(e.key, e)) {
                dropped++;
                evicted.accept(PURGED);
            }
        }
        retireIfEmpty(e0(doomed));
        return dropped;
    }

    private static UUID e0(List<EdgeEntry> entries) {
        return entries.isEmpty() ? null : entries.get(0).key.tenantId();
    }

    private void removed(EdgeEntry entry, RemovalCause cause) {
        if (cause == RemovalCause.REPLACED || entry == null) {
            return;
        }
        Shelf shelf = shelves.get(entry.key.tenantId());
        if (shelf != null) {
            synchronized (shelf) {
                shelf.remove(entry);
            }
            retireIfEmpty(entry.key.tenantId());
        }
        if (cause == RemovalCause.SIZE) {
            evicted.accept(SIZE);
        } else if (cause == RemovalCause.EXPIRED) {
            evicted.accept(EXPIRED);
        }
    }

    private void retireIfEmpty(UUID tenantId) {
        if (tenantId == null) {
            return;
        }
        shelves.computeIfPresent(tenantId, (t, shelf) -> {
            synchronized (shelf) {
                if (shelf.live.isEmpty()) {
                    shelf.retired = true;
                    return null;
                }
                return shelf;
            }
        });
    }

    /** Bytes held, by the per-tenant accounting. */
    long bytes() {
        long total = 0;
        for (Shelf shelf : shelves.values()) {
            synchronized (shelf) {
                total += shelf.bytes;
            }
        }
        return total;
    }

    long entries() {
        return cache.estimatedSize();
    }

    TenantUsage usage(UUID tenantId) {
        Shelf shelf = shelves.get(tenantId);
        if (shelf == null) {
            return new TenantUsage(tenantId, 0, 0);
        }
        synchronized (shelf) {
            return new TenantUsage(tenantId, shelf.bytes, shelf.live.size());
        }
    }

    /** The tenants holding the most bytes, biggest first. */
    List<TenantUsage> top(int n) {
        List<TenantUsage> all = new ArrayList<>();
        for (Map.Entry<UUID, Shelf> e : shelves.entrySet()) {
            synchronized (e.getValue()) {
                all.add(new TenantUsage(e.getKey(), e.getValue().bytes, e.getValue().live.size()));
            }
        }
        all.sort(Comparator.comparingLong(TenantUsage::bytes).reversed());
        return all.size() > n ? all.subList(0, n) : all;
    }

    /** Runs pending maintenance (expiry, eviction); for tests and the view. */
    void cleanUp() {
        cache.cleanUp();
    }
}
