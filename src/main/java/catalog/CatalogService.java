package catalog;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** What other modules need of the catalogue of the bound tenant. Call inside a tenant transaction. */
public interface CatalogService {

    /** Variants by id; ids that are unknown (or of another tenant) are absent from the result. */
    Map<UUID, VariantView> variants(Collection<UUID> variantIds);

    /**
     * Takes stock for a checkout in the caller's transaction: all lines or none, never below zero.
     *
     * @throws OutOfStock if any line cannot be served
     */
    void reserve(Map<UUID, Integer> quantities, String reason);

    /** Puts stock back (for example when an order is cancelled). */
    void restock(Map<UUID, Integer> quantities, String reason);
}
