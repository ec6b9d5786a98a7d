package platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words cells and gateways share about cached storefront answers: the {@code Surrogate-Key}
 * header a cell puts on a cacheable answer (space-separated keys), how the keys are built, and which
 * keys a catalogue event makes stale. A cell labels its answers from the request path alone; a
 * gateway keeps an index key -> entries per tenant and purges by these keys when an event arrives.
 *
 * <p>Vocabulary: {@value #SHOP} on every answer of a shop; {@value #PRODUCTS} on product lists and
 * collections; {@code product:<handle>} on one product's page; {@code collection:<handle>} on one
 * collection.
 */
public final class SurrogateKeys {

    /** Header carrying the keys of an answer, space-separated. */
    public static final String HEADER = "Surrogate-Key";
    /** Every answer of a shop. */
    public static final String SHOP = "shop";
    /** Every list of products (the product list, its pages and filters, every collection). */
    public static final String PRODUCTS = "products";

    /** Event types of the catalogue events topic that this vocabulary knows. */
    public static final String PRODUCT_CHANGED = "ProductChanged";
    public static final String INVENTORY_CHANGED = "InventoryChanged";

    private static final Pattern HANDLE = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private SurrogateKeys() {}

    /** The key of one product's page. */
    public static String product(String handle) {
        return "product:" + handle;
    }

    /** The key of one collection. */
    public static String collection(String handle) {
        return "collection:" + handle;
    }

    /** The header value of a set of keys. */
    public static String header(List<String> keys) {
        return String.join(" ", keys);
    }

    /** The keys of a header value (unknown or empty words dropped; at most 32 keys). */
    public static Set<String> parse(String header) {
        Set<String> keys = new LinkedHashSet<>();
        if (header == null) {
            return keys;
        }
        for (String word : header.trim().split("\\s+")) {
            if (!word.isEmpty() && word.length() <= 120 && keys.size() < 32) {
                keys.add(word);
            }
        }
        return keys;
    }

    /**
     * The keys of a storefront catalogue answer, from its path under {@code /api/storefront}, or empty
     * when the path is not a cacheable catalogue read.
     */
    public static Optional<List<String>> forStorefrontPath(String path) {
        if (path == null || !path.startsWith("/api/storefront/")) {
            return Optional.empty();
        }
        String rest = path.substring("/api/storefront/".length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> keys = new ArrayList<>();
        keys.add(SHOP);
        if (rest.equals("shop")) {
            return Optional.of(keys);
        }
        if (rest.equals("products")) {
            keys.add(PRODUCTS);
            return Optional.of(keys);
        }
        String[] parts = rest.split("/", -1);
        if (parts.length == 2 && HANDLE.matcher(parts[1]).matches()) {
            if (parts[0].equals("products")) {
                keys.add(product(parts[1]));
                return Optional.of(keys);
            }
            if (parts[0].equals("collections")) {
                keys.add(PRODUCTS);
                keys.add(collection(parts[1]));
                return Optional.of(keys);
            }
        }
        return Optional.empty();
    }

    /** What a catalogue event makes stale in a tenant's cached answers. */
    public sealed interface Purge {
        /** Nothing (for example stock: bounded by the answers' {@code s-maxage}). */
        record Nothing() implements Purge {}
        /** The tenant's entries labelled with any of these keys. */
        record Keys(Set<String> keys) implements Purge {}
        /** Every entry of the tenant (an event this vocabulary does not know). */
        record Everything() implements Purge {}
    }

    /**
     * The purge of a catalogue event, read generically from its envelope's type and data so that a
     * gateway needs no catalogue types: {@code ProductChanged} purges {@code product:<handle>} and
     * {@value #PRODUCTS} (every list may show the product); {@code InventoryChanged} nothing; any other
     * type, or a {@code ProductChanged} without a valid handle, the whole tenant.
     */
    public static Purge forEvent(String type, JsonNode data) {
        if (INVENTORY_CHANGED.equals(type)) {
            return new Purge.Nothing();
        }
        if (PRODUCT_CHANGED.equals(type) && data != null && data.path("handle").isTextual()
                && HANDLE.matcher(data.path("handle").asText()).matches()) {
            return new Purge.Keys(Set.of(product(data.path("handle").asText()), PRODUCTS));
        }
        return new Purge.Everything();
    }
}
