package platform.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GcraTest {

    @Test
    void gcraStepByStep() {
        Gcra.Rate rate = new Gcra.Rate(100, 2);
        Gcra.Step first = Gcra.attempt(0, 1_000, rate);
        assertEquals(new Gcra.Step(true, 1_100, 0), first);
        Gcra.Step second = Gcra.attempt(first.nextTat(), 1_000, rate);
        assertEquals(new Gcra.Step(true, 1_200, 0), second);
        assertEquals(new Gcra.Step(false, 1_200, 100), Gcra.attempt(second.nextTat(), 1_000, rate));
        assertEquals(new Gcra.Step(false, 1_200, 50), Gcra.attempt(second.nextTat(), 1_050, rate));
        assertEquals(new Gcra.Step(true, 1_300, 0), Gcra.attempt(second.nextTat(), 1_100, rate));
    }

    long now = 1_000_000;

    @Test
    void aLocalLimiterAdmitsTheBurstThenOneAttemptPerInterval() {
        LocalGcra<String> limiter = new LocalGcra<>(() -> now, 10, Duration.ofMinutes(1));
        Gcra.Rate rate = Gcra.Rate.of(60, Duration.ofMinutes(1), 3); // one a second, three at once
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.take("a", rate).admitted());
        }
        Gcra.Step refused = limiter.take("a", rate);
        assertFalse(refused.admitted());
        assertEquals(1_000_000, refused.waitMicros());
        assertTrue(limiter.take("b", rate).admitted(), "another key has its own bucket");
        now += 1_000_000;
        assertTrue(limiter.take("a", rate).admitted());
        assertFalse(limiter.take("a", rate).admitted());
        limiter.forget("a");
        assertTrue(limiter.take("a", rate).admitted(), "a forgotten key starts full");
    }

    @Test
    void aLocalLimiterKeepsAtMostItsKeys() {
        LocalGcra<Integer> limiter = new LocalGcra<>(() -> now, 100, Duration.ofMinutes(1));
        Gcra.Rate rate = Gcra.Rate.of(1, Duration.ofMinutes(1), 1);
        for (int i = 0; i < 10_000; i++) {
            limiter.take(i, rate);
        }
        org.awaitility.Awaitility.await().until(() -> {
            limiter.take(-1, rate); // Caffeine evicts on its maintenance cycle
            return limiter.keys() <= 100;
        });
    }

    @Test
    void clientAddressesCountIpv4OneByOneAndIpv6PerSlash64() {
        assertEquals("ip4:203.0.113.7", ClientAddresses.normalise("203.0.113.7").orElseThrow());
        assertEquals("ip4:203.0.113.7", ClientAddresses.normalise("[::ffff:203.0.113.7]:443").orElseThrow());
        assertEquals(ClientAddresses.normalise("2001:db8:0:1::1"), ClientAddresses.normalise("2001:db8:0:1:ffff::2"));
        assertFalse(ClientAddresses.normalise("2001:db8:0:2::1").equals(ClientAddresses.normalise("2001:db8:0:1::1")));
        assertTrue(ClientAddresses.normalise("not-an-address").isEmpty());
        assertTrue(ClientAddresses.normalise("999.1.1.1").isEmpty());
    }
}
