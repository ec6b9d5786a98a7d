package gateway.internal.edgecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CacheControlTest {

    @Test
    void theCellsContractIsStorableWithItsWindows() {
        CacheControl cc = CacheControl.parse("public, max-age=0, s-maxage=5, stale-while-revalidate=10, stale-if-error=300");
        assertTrue(cc.storable());
        assertEquals(5, cc.sMaxAge());
        assertEquals(10, cc.staleWhileRevalidate());
        assertEquals(300, cc.staleIfError());
        assertTrue(CacheControl.parse("PUBLIC,S-MAXAGE=\"7\"").storable());
        assertEquals(7, CacheControl.parse("PUBLIC,S-MAXAGE=\"7\"").sMaxAge());
    }

    @Test
    void privateNoStoreNoCacheOrNoSharedLifetimeAreNotStored() {
        assertFalse(CacheControl.parse("public, s-maxage=5, private").storable());
        assertFalse(CacheControl.parse("public, s-maxage=5, no-store").storable());
        assertFalse(CacheControl.parse("public, s-maxage=5, no-cache").storable());
        assertFalse(CacheControl.parse("public, max-age=60").storable(), "max-age alone is for browsers");
        assertFalse(CacheControl.parse("s-maxage=60").storable(), "only what says public");
        assertFalse(CacheControl.parse("no-store").storable());
        assertFalse(CacheControl.parse(null).storable());
        assertFalse(CacheControl.parse("").storable());
    }

    @Test
    void malformedOrAbsurdNumbersAreAbsent() {
        assertEquals(-1, CacheControl.parse("public, s-maxage=-5").sMaxAge());
        assertEquals(-1, CacheControl.parse("public, s-maxage=5x").sMaxAge());
        assertEquals(-1, CacheControl.parse("public, s-maxage=").sMaxAge());
        assertEquals(-1, CacheControl.parse("public, s-maxage=99999999999999999999").sMaxAge());
        assertEquals(-1, CacheControl.parse("public, s-maxage=5, stale-if-error=999999").staleIfError());
        assertFalse(CacheControl.parse("public, s-maxage=abc").storable());
        assertFalse(CacheControl.parse("public, s-maxage=5," + " x".repeat(1_000)).storable(), "oversized header ignored");
    }
}
