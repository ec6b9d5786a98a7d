package controlplane.internal.hot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tenancy.CellLoad;

class HotTenantRulesTest {

    final HotTenantRules rules = new HotTenantRules(0.10, 5, 0.5);

    static CellLoad.TenantShare share(double requestRate, double requestShare, double dbConnections, double dbShare) {
        return new CellLoad.TenantShare(UUID.randomUUID(), requestRate, requestShare, dbConnections, dbShare);
    }

    @Test
    void aShopIsHotAtItsLargerShareAtOrAboveTheThreshold() {
        assertTrue(rules.isHot(share(50, 0.10, 0, 0)), "requests alone");
        assertTrue(rules.isHot(share(1, 0.01, 2, 0.4)), "database time alone (cheap requests, expensive queries)");
        assertFalse(rules.isHot(share(50, 0.09, 0.2, 0.05)));
    }

    @Test
    void aShopNeedsLoadEnoughForItsShareToCount() {
        // alone on an idle cell: every share, no harm to anyone
        assertFalse(rules.isHot(share(1, 1.0, 0.01, 1.0)));
        assertTrue(rules.isHot(share(5, 1.0, 0.01, 1.0)));
        assertTrue(rules.isHot(share(0.5, 0.2, 0.5, 1.0)));
    }

    @Test
    void picksTheHotShopsOfAReport() {
        CellLoad.TenantShare noisy = share(200, 0.8, 3, 0.7);
        CellLoad.TenantShare quiet = share(5, 0.02, 0.1, 0.03);
        CellLoad load = new CellLoad(15_000, 250, 4, List.of(noisy, quiet));
        assertEquals(List.of(noisy), rules.hot(load));
        assertEquals(List.of(), rules.hot(new CellLoad(15_000, 0, 0, null)));
    }
}
