package tenancy.internal.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import platform.ratelimit.Gcra;

/**
 * The sign-in limits' algorithm on a fake clock: GCRA per client address, then per account and
 * address, with the default limits (10 a minute, 20 at once; 5 per 15 minutes, 5 at once).
 */
class LocalCountsTest {

    static final Gcra.Rate SOURCE = Gcra.Rate.of(10, Duration.ofMinutes(1), 20);
    static final Gcra.Rate ACCOUNT = Gcra.Rate.of(5, Duration.ofMinutes(15), 5);
    static final UUID SHOP = UUID.randomUUID();

    long now = 1_000_000_000_000L;
    final LocalCounts counts = new LocalCounts(() -> now, Duration.ofHours(1));

    Decision attempt(String source, String email) {
        return counts.attempt(SignInThrottle.sourceKey(source), SOURCE, SignInThrottle.accountKey(source, SHOP, email), ACCOUNT);
    }

    void advance(Duration by) {
        now += by.toNanos() / 1000;
    }

    @Test
    void ratesFromLimitPeriodAndBurst() {
        assertEquals(6_000_000L, SOURCE.intervalMicros(), "10 a minute: one every 6 s");
        assertEquals(180_000_000L, ACCOUNT.intervalMicros(), "5 per 15 minutes: one every 3 minutes");
        assertEquals(Duration.ofMinutes(2).toNanos() / 1000, SOURCE.toleranceMicros());
    }

    @Test
    void anAddressGetsItsBurstThenOneAttemptPerInterval() {
        for (int i = 0; i < 20; i++) {
            assertTrue(attempt("ip4:203.0.113.1", "user" + i + "@example.com").admitted(), "attempt " + i);
        }
        Decision refused = attempt("ip4:203.0.113.1", "user20@example.com");
        assertFalse(refused.admitted());
        assertEquals(Decision.Limited.SOURCE, refused.limited());
        assertEquals(Duration.ofSeconds(6), refused.retryAfter());
        advance(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(1), attempt("ip4:203.0.113.1", "user21@example.com").retryAfter(),
                "a refused attempt costs nothing and does not push the wait further");
        advance(Duration.ofSeconds(1));
        assertTrue(attempt("ip4:203.0.113.1", "user22@example.com").admitted(), "one more after an interval");
        assertFalse(attempt("ip4:203.0.113.1", "user23@example.com").admitted(), "and only one");
        assertTrue(attempt("ip4:198.51.100.9", "user24@example.com").admitted(), "other addresses have their own");
        advance(Duration.ofMinutes(2));
        for (int i = 0; i < 20; i++) {
            assertTrue(attempt("ip4:203.0.113.1", "later" + i + "@example.com").admitted(), "full again after a quiet while");
        }
    }

    @Test
    void anAccountIsLimitedPerAddressSoNobodyLocksItsOwnerOut() {
        for (int i = 0; i < 5; i++) {
            assertTrue(attempt("ip4:203.0.113.2", "owner@shop.example").admitted(), "attempt " + i);
        }
        Decision refused = attempt("ip4:203.0.113.2", "owner@shop.example");
        assertFalse(refused.admitted());
        assertEquals(Decision.Limited.ACCOUNT, refused.limited());
        assertEquals(Duration.ofMinutes(3), refused.retryAfter());
        assertTrue(attempt("ip4:198.51.100.2", "owner@shop.example").admitted(), "the owner, elsewhere, still signs in");
        assertTrue(attempt("ip4:203.0.113.2", "someone-else@shop.example").admitted(), "other accounts from the address too");
        assertTrue(counts.attempt(SignInThrottle.sourceKey("ip4:203.0.113.2"), SOURCE,
                SignInThrottle.accountKey("ip4:203.0.113.2", UUID.randomUUID(), "owner@shop.example"), ACCOUNT).admitted(),
                "the same email at another shop is another account");
        advance(Duration.ofMinutes(3));
        assertTrue(attempt("ip4:203.0.113.2", "owner@shop.example").admitted(), "one more guess every 3 minutes");
        assertFalse(attempt("ip4:203.0.113.2", "owner@shop.example").admitted());
    }

    @Test
    void theAccountKeyIgnoresTheEmailsCase() {
        for (int i = 0; i < 5; i++) {
            attempt("ip4:203.0.113.3", "Owner@Shop.Example");
        }
        assertFalse(attempt("ip4:203.0.113.3", "owner@shop.example").admitted());
    }

    @Test
    void aSuccessfulSignInEmptiesTheAccountsCount() {
        for (int i = 0; i < 5; i++) {
            attempt("ip4:203.0.113.4", "owner@shop.example");
        }
        assertFalse(attempt("ip4:203.0.113.4", "owner@shop.example").admitted());
        counts.forget(SignInThrottle.accountKey("ip4:203.0.113.4", SHOP, "owner@shop.example"));
        for (int i = 0; i < 5; i++) {
            assertTrue(attempt("ip4:203.0.113.4", "owner@shop.example").admitted(), "attempt " + i);
        }
    }

    @Test
    void attemptsRefusedByTheAccountsLimitStillCountForTheAddress() {
        for (int i = 0; i < 20; i++) {
            attempt("ip4:203.0.113.5", "owner@shop.example"); // 5 admitted, 15 refused by the account's limit
        }
        Decision refused = attempt("ip4:203.0.113.5", "another@shop.example");
        assertFalse(refused.admitted());
        assertEquals(Decision.Limited.SOURCE, refused.limited());
    }
}
