package catalog.internal.readcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TenantVersionsTest {

    final AtomicLong now = new AtomicLong(5_000_000_000L);
    final TenantVersions versions = new TenantVersions(Duration.ofSeconds(1), now::get);
    final UUID shop = UUID.randomUUID();
    final UUID other = UUID.randomUUID();

    @Test
    void nothingIsTrustedWhileTheSubscriptionIsDown() {
        versions.learn(shop, 7, now.get());
        assertEquals(-1, versions.trusted(shop));
        versions.subscribed();
        versions.learn(shop, 7, now.get());
        assertEquals(7, versions.trusted(shop));
        versions.unsubscribed();
        assertEquals(-1, versions.trusted(shop));
        versions.subscribed();
        assertEquals(-1, versions.trusted(shop), "what was known before the subscription was lost is forgotten");
    }

    @Test
    void aVersionIsTrustedForTheStalenessBoundAfterItsConfirmation() {
        versions.subscribed();
        versions.learn(shop, 3, now.get());
        now.addAndGet(Duration.ofMillis(1000).toNanos());
        assertEquals(3, versions.trusted(shop));
        now.addAndGet(1);
        assertEquals(-1, versions.trusted(shop));
        versions.learn(shop, 3, now.get()); // confirmed again
        assertEquals(3, versions.trusted(shop));
        assertEquals(-1, versions.trusted(other), "one tenant's version says nothing of another's");
    }

    @Test
    void versionsOnlyGrowAndAnOlderConfirmationDoesNotRenewTrust() {
        versions.subscribed();
        versions.learn(shop, 10, now.get());
        versions.learn(shop, 9, now.get() + 1); // an answer sent before the change's message arrived
        assertEquals(10, versions.trusted(shop));
        long sentEarlier = now.get() - Duration.ofSeconds(2).toNanos();
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        versions.learn(shop, 10, sentEarlier);
        assertEquals(-1, versions.trusted(shop));
        versions.learn(shop, 11, now.get() - Duration.ofMillis(500).toNanos()); // newer news, sent half a second ago
        assertEquals(11, versions.trusted(shop));
    }

    @Test
    void parsesOnlyDecimalVersions() {
        assertEquals(0, TenantVersions.parse("0"));
        assertEquals(1_733_450_000_123_456L, TenantVersions.parse("1733450000123456"));
        assertEquals(-1, TenantVersions.parse(""));
        assertEquals(-1, TenantVersions.parse(null));
        assertEquals(-1, TenantVersions.parse("-1"));
        assertEquals(-1, TenantVersions.parse("1e5"));
        assertEquals(-1, TenantVersions.parse("99999999999999999999"));
    }
}
