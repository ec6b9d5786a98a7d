package catalog;

import catalog.AdminViews.AdminCollection;
import catalog.AdminViews.AdminProduct;
import catalog.AdminViews.AdminProductPage;
import catalog.AdminViews.CollectionInput;
import catalog.AdminViews.InventoryAdjustment;
import catalog.AdminViews.LowStockVariant;
import catalog.AdminViews.ProductInput;
import catalog.AdminViews.ProductUpdate;
import catalog.AdminViews.StockLevel;
import catalog.AdminViews.VariantInput;
import catalog.AdminViews.VariantUpdate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The merchant's catalogue of the bound tenant: what the admin API and the admin UI do with it.
 * Every method runs in (or joins) a tenant transaction, so several calls made inside one
 * transaction succeed or fail together. Invalid input is refused with a
 * {@link platform.ProblemException} naming the field; unknown ids (or ids of another tenant) are
 * empty results, never another shop's data.
 */
public interface MerchantCatalog {

    /**
     * Products by handle, a page at a time, optionally only those whose title or description contains a
     * text (case-insensitive; no index serves it, so the search is a report: ADR 0021); {@code after} is
     * the {@link AdminProductPage#next()} cursor of the previous page.
     *
     * @throws platform.ProblemException 400 naming {@code after} for a cursor this API did not issue
     */
    AdminProductPage list(Optional<String> after, int limit, Optional<String> contains);

    Optional<AdminProduct> get(UUID productId);

    AdminProduct create(ProductInput input);

    Optional<AdminProduct> update(UUID productId, ProductUpdate update);

    boolean delete(UUID productId);

    Optional<AdminProduct> addVariant(UUID productId, VariantInput input);

    Optional<AdminProduct> updateVariant(UUID variantId, VariantUpdate update);

    boolean deleteVariant(UUID variantId);

    Optional<StockLevel> adjustInventory(UUID variantId, InventoryAdjustment adjustment);

    AdminCollection createCollection(CollectionInput input);

    List<AdminCollection> collections();

    /** Variants of active products with at most {@code threshold} in stock, fewest first. */
    List<LowStockVariant> lowStock(int threshold, int limit);
}
