package tenancy.internal.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A cache of directory lookups whose keys come from untrusted input (the Host header of any
 * request). Found entries and "not found" answers live in two separate bounded caches, so that a
 * flood of invented keys can only churn the small, short-lived negative cache and never evicts the
 * shops that really are served; concurrent misses for one key wait for a single load instead of
 * each querying the database.
 *
 * @param <K> the key (a host name, a tenant id)
 * @param <V> what a found key maps to
 */
public final class LookupCache<K, V> {

    /** A found value and when it was loaded ({@link Ticker#read()}). */
    private record Held<V>(V value, long loadedAt) {}

    private final Cache<K, Held<V>> found;
    private final Ticker ticker;
    private final long foundTtlNanos;
    private final long trustedFoundTtlNanos;
    private final BooleanSupplier trusted;
    /** Incremented by {@link #invalidateAll()}: a load that began before it does not store what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final Cache<K, Boolean> missing;
    private final ConcurrentHashMap<K, CompletableFuture<Optional<V>>> loading = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder loadedFound = new LongAdder();
    private final LongAdder missingHits = new LongAdder();
    private final LongAdder loadedMissing = new LongAdder();

    /**
     * What the lookups found so far: {@code hits} answered from the found entries, {@code loadedFound}
     * loaded and found, {@code missingHits} answered "not found" from the negative entries,
     * {@code loadedMissing} loaded and not found. The hit ratio of keys that exist is
     * {@code hits / (hits + loadedFound)}: invented keys do not enter it.
     */
    public record Stats(long hits, long loadedFound, long missingHits, long loadedMissing) {}

    /**
     * @param maxFound     most found entries kept (least recently used go first)
     * @param foundTtl     how long a found entry is served before it is read again
     * @param maxMissing   most "not found" answers kept
     * @param missingTtl   how long a "not found" answer is served
     * @param ticker       the clock ({@link Ticker#systemTicker()} outside tests)
     */
    public LookupCache(long maxFound, Duration foundTtl, long maxMissing, Duration missingTtl, Ticker ticker) {
        this(maxFound, foundTtl, foundTtl, () -> false, maxMissing, missingTtl, ticker);
    }

    /**
     * A cache whose found entries live longer while every change is known to reach it: while
     * {@code trusted} answers true (the caller hears of every change, and calls {@link #invalidateAll()}),
     * a found entry is served for {@code trustedFoundTtl}; else for {@code foundTtl} after its load.
     */
    public LookupCache(long maxFound, Duration foundTtl, Duration trustedFoundTtl, BooleanSupplier trusted,
                       long maxMissing, Duration missingTtl, Ticker ticker) {
        this.ticker = ticker;
        this.foundTtlNanos = foundTtl.toNanos();
        this.trustedFoundTtlNanos = Math.max(foundTtlNanos, trustedFoundTtl.toNanos());
        this.trusted = trusted;
        this.found = Caffeine.newBuilder().maximumSize(maxFound).expireAfterWrite(Duration.ofNanos(trustedFoundTtlNanos))
                .ticker(ticker).executor(Runnable::run).build();
        this.missing = Caffeine.newBuilder().maximumSize(maxMissing).expireAfterWrite(missingTtl)
                .ticker(ticker).executor(Runnable::run).build();
    }

    /** The cached answer for the key, else the loader's (run once for all concurrent callers). */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        Held<V> hit = found.getIfPresent(key);
        if (hit != null && ticker.read() - hit.loadedAt() < (trusted.getAsBoolean() ? trustedFoundTtlNanos : foundTtlNanos)) {
            hits.increment();
            return Optional.of(hit.value());
        }
        if (missing.getIfPresent(key) != null) {
            missingHits.increment();
            return Optional.empty();
        }
        CompletableFuture<Optional<V>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<V>> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException failed) {
                throw failed.getCause() instanceof RuntimeException e ? e : failed;
            }
        }
        try {
            long loadedAt = ticker.read();
            long loadGeneration = generation.get();
            Optional<V> value = loader.apply(key);
            // kept only if no change was announced since the read began (checked again after the put: an
            // invalidation between the check and the put must not leave the old answer behind)
            if (value.isPresent()) {
                Held<V> held = new Held<>(value.get(), loadedAt);
                if (generation.get() == loadGeneration) {
                    found.put(key, held);
                    if (generation.get() != loadGeneration) {
                        found.asMap().remove(key, held);
                    }
                }
                loadedFound.increment();
            } else {
                if (generation.get() == loadGeneration) {
                    missing.put(key, Boolean.TRUE);
                    if (generation.get() != loadGeneration) {
                        missing.invalidate(key);
                    }
                }
                loadedMissing.increment();
            }
            mine.complete(value);
            return value;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    /** Forgets every entry (after the cell's directory changed), and what loads still running read. */
    public void invalidateAll() {
        generation.incrementAndGet();
        found.invalidateAll();
        missing.invalidateAll();
    }

    /** What the lookups found so far (callers that waited on another's load are not counted). */
    public Stats stats() {
        return new Stats(hits.sum(), loadedFound.sum(), missingHits.sum(), loadedMissing.sum());
    }

    /** Entries held: found and not found (for tests and metrics). */
    public long foundSize() {
        found.cleanUp();
        return found.estimatedSize();
    }

    public long missingSize() {
        missing.cleanUp();
        return missing.estimatedSize();
    }
}
