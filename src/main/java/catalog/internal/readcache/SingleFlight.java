package catalog.internal.readcache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Coalesces concurrent loads of the same key on this node: the first caller (the leader) runs the
 * load, the others (followers) wait for its result, at most {@code wait}. A follower whose wait ends
 * without a result, or whose leader failed, runs its own load; a leader's failure that is an answer
 * rather than an accident (for example "no such product", per {@code shared}) is the followers'
 * answer too.
 */
final class SingleFlight<K> {

    /** What a caller got, and whether it waited for another caller's load. */
    record Result(String value, boolean coalesced) {}

    private final ConcurrentHashMap<K, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();
    private final long waitNanos;
    private final Predicate<Throwable> shared;
    private final Runnable onFollow;

    /**
     * @param wait     longest wait of a follower
     * @param shared   which failures of a leader are its followers' answer too
     * @param onFollow called when a caller starts waiting for another's load (a coalesced miss)
     */
    SingleFlight(Duration wait, Predicate<Throwable> shared, Runnable onFollow) {
        this.waitNanos = wait.toNanos();
        this.shared = shared;
        this.onFollow = onFollow;
    }

    Result run(K key, Supplier<String> load) {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> leader = inFlight.putIfAbsent(key, mine);
        if (leader == null) {
            try {
                String value = load.get();
                mine.complete(value);
                return new Result(value, false);
            } catch (RuntimeException | Error failure) {
                mine.completeExceptionally(failure);
                throw failure;
            } finally {
                inFlight.remove(key, mine);
            }
        }
        onFollow.run();
        try {
            return new Result(leader.get(waitNanos, TimeUnit.NANOSECONDS), true);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException answer && shared.test(answer)) {
                throw answer;
            }
        } catch (TimeoutException slow) {
            // the leader is slow: load for ourselves
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Result(load.get(), false);
    }

    /** Loads in flight now (for tests). */
    int inFlight() {
        return inFlight.size();
    }
}
