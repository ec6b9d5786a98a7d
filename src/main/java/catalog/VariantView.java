package catalog;

import java.util.UUID;

/** A purchasable variant as carts and checkout see it: price in minor units of an ISO 4217 currency, and stock. */
public record VariantView(UUID variantId, UUID productId, String productHandle, String productTitle, String sku,
                          String title, long priceMinor, String currency, int available, boolean purchasable) {}
