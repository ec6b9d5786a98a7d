package platform.internal.failures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Writes the first of a burst of similar lines, then at most one line per kind and interval: a line that comes sooner
 * is only counted, and the next line written says how many were held back since the previous one. So a dependency
 * that fails a thousand times a second is reported at once, and then every interval, never a thousand times.
 */
final class RateLimitedLog {

    private final Clock clock;
    private final Duration interval;
    private final Consumer<String> sink;
    private final ConcurrentHashMap<String, State> kinds = new ConcurrentHashMap<>();

    private static final class State {
        Instant lastWritten;
        long heldBack;
    }

    RateLimitedLog(Clock clock, Duration interval, Consumer<String> sink) {
        this.clock = clock;
        this.interval = interval;
        this.sink = sink;
    }

    /** Writes the line of this kind unless one was written less than the interval ago; returns whether it wrote. */
    boolean write(String kind, Supplier<String> line) {
        State state = kinds.computeIfAbsent(kind, k -> new State());
        String text;
        synchronized (state) {
            Instant now = clock.instant();
            if (state.lastWritten != null && Duration.between(state.lastWritten, now).compareTo(interval) < 0) {
                state.heldBack++;
                return false;
            }
            text = line.get();
            if (state.heldBack > 0) {
                text += " (" + state.heldBack + " more since " + state.lastWritten + " not logged)";
            }
            state.lastWritten = now;
            state.heldBack = 0;
        }
        sink.accept(text);
        return true;
    }
}
