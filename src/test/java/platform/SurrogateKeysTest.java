package platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SurrogateKeysTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keysComeFromTheStorefrontPathAlone() {
        assertEquals(Optional.of(List.of("shop")), SurrogateKeys.forStorefrontPath("/api/storefront/shop"));
        assertEquals(Optional.of(List.of("shop", "products")), SurrogateKeys.forStorefrontPath("/api/storefront/products"));
        assertEquals(Optional.of(List.of("shop", "product:red-shoe")), SurrogateKeys.forStorefrontPath("/api/storefront/products/red-shoe"));
        assertEquals(Optional.of(List.of("shop", "products", "collection:summer")),
                SurrogateKeys.forStorefrontPath("/api/storefront/collections/summer"));
        for (String other : List.of("/api/storefront/carts", "/api/storefront/carts/x", "/api/storefront/orders/1",
                "/api/storefront/checkouts", "/api/admin/products", "/api/storefront/products/Bad Handle",
                "/api/storefront/products/a/b", "/admin", "")) {
            assertTrue(SurrogateKeys.forStorefrontPath(other).isEmpty(), other);
        }
    }

    @Test
    void aProductChangePurgesItsPageAndTheListsStockNothingAndTheUnknownEverything() throws Exception {
        SurrogateKeys.Purge product = SurrogateKeys.forEvent("ProductChanged",
                JSON.readTree("{\"productId\":\"00000000-0000-0000-0000-000000000001\",\"handle\":\"red-shoe\",\"change\":\"updated\"}"));
        assertEquals(new SurrogateKeys.Purge.Keys(Set.of("product:red-shoe", "products")), product);
        assertInstanceOf(SurrogateKeys.Purge.Nothing.class, SurrogateKeys.forEvent("InventoryChanged", JSON.readTree("{}")));
        assertInstanceOf(SurrogateKeys.Purge.Everything.class, SurrogateKeys.forEvent("CollectionRenamed", JSON.readTree("{}")));
        assertInstanceOf(SurrogateKeys.Purge.Everything.class, SurrogateKeys.forEvent("ProductChanged", JSON.readTree("{\"handle\":7}")));
        assertInstanceOf(SurrogateKeys.Purge.Everything.class, SurrogateKeys.forEvent(null, null));
    }

    @Test
    void aHeaderIsParsedIntoAtMostThirtyTwoWords() {
        assertEquals(Set.of("shop", "products"), SurrogateKeys.parse("  shop   products "));
        assertEquals(32, SurrogateKeys.parse("k ".repeat(10) + String.join(" ", java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> "k" + i).toList())).size());
        assertTrue(SurrogateKeys.parse(null).isEmpty());
    }
}
