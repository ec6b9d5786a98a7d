package catalog;

import java.util.UUID;

/** The cell's cache of a shop's storefront answers, for work that changes the shop's rows outside the catalogue's own writes. */
public interface StorefrontCache {

    /**
     * Makes every cached storefront answer of the shop unreachable on every node of the cell (and at the gateways'
     * edge, which follows the same version). Call it after the change has committed.
     */
    void invalidate(UUID tenant);
}
