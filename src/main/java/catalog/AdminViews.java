package catalog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Requests and views of the merchant admin catalogue API. */
public final class AdminViews {

    private AdminViews() {}

    public static final String HANDLE = "[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?";
    public static final String HANDLE_MESSAGE = "must be 1-100 lower-case letters, digits or dashes, not starting or ending with a dash";
    public static final String SKU = "[A-Za-z0-9._-]{1,64}";
    public static final String SKU_MESSAGE = "must be 1-64 letters, digits, dots, dashes or underscores";
    public static final String STATUS = "draft|active|archived";
    public static final long MAX_PRICE = 1_000_000_000_000L;
    public static final int MAX_STOCK = 1_000_000;

    /** A variant to create. */
    public record VariantInput(
            @NotNull @Pattern(regexp = SKU, message = SKU_MESSAGE) String sku,
            @NotBlank @Size(max = 255) String title,
            @Min(0) @Max(MAX_PRICE) long priceMinor,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 currency code such as EUR") String currency,
            @Size(max = 10) Map<@NotBlank @Size(max = 50) String, @NotNull @Size(max = 100) String> options,
            @Min(0) @Max(MAX_STOCK) int inventory) {}

    /** A product to create, with its variants. */
    public record ProductInput(
            @NotNull @Pattern(regexp = HANDLE, message = HANDLE_MESSAGE) String handle,
            @NotBlank @Size(max = 255) String title,
            @Size(max = 10_000) String description,
            @Pattern(regexp = STATUS, message = "must be draft, active or archived") String status,
            @NotNull @Size(min = 1, max = 100) List<@Valid @NotNull VariantInput> variants,
            @Size(max = 50) List<@NotNull @Pattern(regexp = HANDLE, message = HANDLE_MESSAGE) String> collections) {}

    /** Changes to a product; absent fields stay as they are. */
    public record ProductUpdate(
            @Pattern(regexp = HANDLE, message = HANDLE_MESSAGE) String handle,
            @Size(min = 1, max = 255) String title,
            @Size(max = 10_000) String description,
            @Pattern(regexp = STATUS, message = "must be draft, active or archived") String status,
            @Size(max = 50) List<@NotNull @Pattern(regexp = HANDLE, message = HANDLE_MESSAGE) String> collections) {}

    /** Changes to a variant; absent fields stay as they are. */
    public record VariantUpdate(
            @Size(min = 1, max = 255) String title,
            @Min(0) @Max(MAX_PRICE) Long priceMinor,
            @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 currency code such as EUR") String currency,
            @Size(max = 10) Map<@NotBlank @Size(max = 50) String, @NotNull @Size(max = 100) String> options) {}

    /** A stock adjustment: positive adds, negative removes (never below zero). */
    public record InventoryAdjustment(
            @Min(-MAX_STOCK) @Max(MAX_STOCK) int delta,
            @NotBlank @Size(max = 100) String reason) {}

    /** A collection to create. */
    public record CollectionInput(
            @NotNull @Pattern(regexp = HANDLE, message = HANDLE_MESSAGE) String handle,
            @NotBlank @Size(max = 255) String title) {}

    /** A variant as merchants see it. */
    public record AdminVariant(UUID id, String sku, String title, long priceMinor, String currency,
                               Map<String, String> options, int available) {}

    /** A product as merchants see it. */
    public record AdminProduct(UUID id, String handle, String title, String description, String status,
                               List<AdminVariant> variants, List<String> collections, Instant createdAt,
                               Instant updatedAt) {}

    /** A page of products. */
    public record AdminProductPage(List<AdminProduct> items, String next) {}

    /** A collection. */
    public record AdminCollection(UUID id, String handle, String title) {}

    /** A variant that is running out of stock. */
    public record LowStockVariant(UUID productId, String productTitle, UUID variantId, String sku, String title, int available) {}

    /** Stock after an adjustment. */
    public record StockLevel(UUID variantId, String sku, int available) {}
}
