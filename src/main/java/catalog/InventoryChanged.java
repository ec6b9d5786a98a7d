package catalog;

import java.util.UUID;

/** Data of an {@code InventoryChanged} event: a variant's available stock changed by {@code delta}. */
public record InventoryChanged(UUID variantId, String sku, int delta, int available, String reason) {}
