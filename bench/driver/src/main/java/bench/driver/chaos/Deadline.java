package bench.driver.chaos;

import java.time.Duration;

/** A point in time by which a polled condition must hold. */
record Deadline(long nanos, Duration timeout) {

    static Deadline in(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
    }

    boolean passed() {
        return System.nanoTime() >= nanos;
    }

    /** Throws when the deadline has passed. */
    void check(String what) {
        if (passed()) {
            throw new IllegalStateException(what + " after " + timeout.toSeconds() + " s");
        }
    }
}
