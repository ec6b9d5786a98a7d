package catalog.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What shoppers see of the catalogue (also what the storefront cache stores, as JSON). */
public final class StorefrontViews {

    private StorefrontViews() {}

    /** A variant on the storefront. */
    public record StorefrontVariant(UUID id, String sku, String title, long priceMinor, String currency,
                                    Map<String, String> options, int available) {}

    /** A product on the storefront, with its variants. */
    public record StorefrontProduct(UUID id, String handle, String title, String description,
                                    List<StorefrontVariant> variants) {}

    /** A page of products; {@code next} is the cursor of the following page, or null on the last one. */
    public record ProductPage(List<StorefrontProduct> items, String next) {}

    /** A collection with the first page of its products. */
    public record CollectionView(String handle, String title, ProductPage products) {}
}
