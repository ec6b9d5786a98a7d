package gateway.internal.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoopLagTest {

    static final long MS = 1_000_000L;

    @Test
    void theLastCompleteWindowsNinetyNinthPercentileIsKept() {
        LoopLag lag = new LoopLag();
        assertEquals(-1, lag.p99Nanos(), "nothing before a whole window");
        long now = 0;
        for (int i = 0; i < 200; i++, now += 5 * MS) { // one window: 197 probes on time, three late
            lag.record(i == 50 || i == 100 || i == 150 ? 30 * MS : 100_000L, now);
        }
        assertEquals(-1, lag.p99Nanos(), "the first window is not over yet");
        lag.record(100_000L, now);
        assertEquals(30 * MS, lag.p99Nanos(), "three of 200 late, more than one in a hundred: the 99th percentile is theirs");
        for (int i = 0; i < 200; i++, now += 5 * MS) {
            lag.record(i == 10 ? 30 * MS : 200_000L, now);
        }
        lag.record(0, now);
        assertEquals(200_000L, lag.p99Nanos(), "one of 200 late: below the 99th percentile");
    }
}
