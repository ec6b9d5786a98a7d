package gateway.internal.edgecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EdgeKeyTest {

    static final UUID A = UUID.randomUUID();
    static final UUID B = UUID.randomUUID();

    @Test
    void queryParametersAreSortedDecodedAndReEncoded() {
        assertEquals(Optional.of(""), EdgeKey.normaliseQuery(null));
        assertEquals(Optional.of(""), EdgeKey.normaliseQuery(""));
        assertEquals(EdgeKey.normaliseQuery("a=1&b=2"), EdgeKey.normaliseQuery("b=2&a=1"));
        assertEquals(EdgeKey.normaliseQuery("q=red+shoe"), EdgeKey.normaliseQuery("q=red%20shoe"));
        assertEquals(Optional.of("a=1&a=2&b"), EdgeKey.normaliseQuery("a=2&&b&a=1&"));
        assertNotEquals(EdgeKey.normaliseQuery("a"), EdgeKey.normaliseQuery("a="));
        assertEquals(Optional.of("q=%26x%3D"), EdgeKey.normaliseQuery("q=%26x%3D"), "encoded separators stay values");
    }

    @Test
    void oversizedOrMalformedQueriesAreNotKeys() {
        assertTrue(EdgeKey.normaliseQuery("q=" + "x".repeat(1_100)).isEmpty());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append("p").append(i).append("=1&");
        }
        assertTrue(EdgeKey.normaliseQuery(many.toString()).isEmpty());
        assertTrue(EdgeKey.normaliseQuery("q=%zz").isEmpty());
        assertTrue(EdgeKey.normaliseQuery("q=%").isEmpty());
        assertTrue(EdgeKey.primary(A, "/api/storefront/" + "x".repeat(600), null).isEmpty());
    }

    @Test
    void theTenantIsPartOfTheKeyNotTheHost() {
        EdgeKey a = EdgeKey.primary(A, "/api/storefront/products", "limit=5").orElseThrow();
        assertEquals(a, EdgeKey.primary(A, "/api/storefront/products", "limit=5").orElseThrow());
        assertNotEquals(a, EdgeKey.primary(B, "/api/storefront/products", "limit=5").orElseThrow());
    }

    @Test
    void onlyAcceptEncodingAndLanguageAreVariedOn() {
        assertEquals(Optional.of(List.of()), EdgeKey.varyNames(List.of()));
        assertEquals(Optional.of(List.of("accept", "accept-encoding")), EdgeKey.varyNames(List.of("Accept-Encoding, accept", "Accept")));
        assertTrue(EdgeKey.varyNames(List.of("*")).isEmpty());
        assertTrue(EdgeKey.varyNames(List.of("Accept, Cookie")).isEmpty());
        EdgeKey primary = EdgeKey.primary(A, "/api/storefront/shop", null).orElseThrow();
        Map<String, String> gzip = Map.of("accept-encoding", "gzip");
        Map<String, String> none = Map.of();
        EdgeKey zipped = primary.varying(List.of("accept-encoding"), gzip::get);
        assertNotEquals(zipped, primary.varying(List.of("accept-encoding"), none::get));
        assertEquals(primary, zipped.primary());
    }
}
