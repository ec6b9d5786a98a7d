package platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntityTagsTest {

    @Test
    void aStrongTagIsTheQuotedBase64urlOfSixteenBytesOfTheDigest() {
        String tag = EntityTags.strong("{\"a\":1}");
        assertTrue(tag.matches("\"[A-Za-z0-9_-]{22}\""), tag);
        assertEquals(tag, EntityTags.strong("{\"a\":1}"));
        assertNotEquals(tag, EntityTags.strong("{\"a\":2}"));
    }

    @Test
    void ifNoneMatchUsesTheWeakComparisonOverAList() {
        String tag = "\"abc\"";
        assertTrue(EntityTags.noneMatchHits("\"abc\"", tag));
        assertTrue(EntityTags.noneMatchHits("W/\"abc\"", tag));
        assertTrue(EntityTags.noneMatchHits("\"x\", W/\"abc\" ,\"y\"", tag));
        assertTrue(EntityTags.noneMatchHits(" * ", tag));
        assertFalse(EntityTags.noneMatchHits("\"abd\"", tag));
        assertFalse(EntityTags.noneMatchHits("\"ab\", \"c\"", tag));
    }

    @Test
    void aMalformedBlankOrHugeHeaderMatchesNothing() {
        String tag = "\"abc\"";
        assertFalse(EntityTags.noneMatchHits(null, tag));
        assertFalse(EntityTags.noneMatchHits("", tag));
        assertFalse(EntityTags.noneMatchHits("abc", tag));
        assertFalse(EntityTags.noneMatchHits("\"abc", tag));
        assertFalse(EntityTags.noneMatchHits("\"abc\" junk", tag));
        assertFalse(EntityTags.noneMatchHits("\"abc\", *", tag));
        assertFalse(EntityTags.noneMatchHits("\"ab c\"", "\"ab c\""));
        assertFalse(EntityTags.noneMatchHits("\"abc\", " + "\"x\", ".repeat(1_000), tag));
    }
}
