package platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void normalisesCasePortTrailingDotAndIdn() {
        assertEquals(Optional.of("acme.shops.localhost"), HostNames.normalise("ACME.Shops.Localhost:8080"));
        assertEquals(Optional.of("acme.example"), HostNames.normalise("acme.example."));
        assertEquals(Optional.of("xn--bcher-kva.example"), HostNames.normalise("Bücher.example"));
        assertEquals(Optional.of("xn--bcher-kva.example"), HostNames.normalise("XN--BCHER-KVA.example"));
    }

    /** The IDNA2008 deviation characters are kept, as browsers send them (IDNA2003 mapped them away). */
    @Test
    void keepsTheDeviationCharactersAsBrowsersDo() {
        assertEquals(Optional.of("xn--strae-oqa.de"), HostNames.normalise("straße.de"));
        assertEquals(Optional.of("xn--strae-oqa.de"), HostNames.normalise("STRAßE.de:443"));
        assertEquals(Optional.of("xn--fa-hia.de"), HostNames.normalise("faß.de"));
        assertEquals(Optional.of("xn--mxa8a.gr"), HostNames.normalise("ας.gr")); // final sigma stays
        assertEquals(Optional.of("xn--mxa8a.gr"), HostNames.normalise("Ας.gr"));
        assertEquals(Optional.of("xn--mxa0b.gr"), HostNames.normalise("ασ.gr")); // a different name
    }

    @Test
    void mapsFullWidthAndCompatibilityForms() {
        assertEquals(Optional.of("acme.example"), HostNames.normalise("ａｃｍｅ.example")); // full-width letters
        assertEquals(Optional.of("acme.example"), HostNames.normalise("acme。example")); // ideographic full stop
    }

    @Test
    void rejectsWhatCannotNameAShop() {
        assertEquals(Optional.empty(), HostNames.normalise(null));
        assertEquals(Optional.empty(), HostNames.normalise(""));
        assertEquals(Optional.empty(), HostNames.normalise("[::1]:8080"));
        assertEquals(Optional.empty(), HostNames.normalise("bad_host!.example"));
        assertEquals(Optional.empty(), HostNames.normalise("-acme.example"));
        assertEquals(Optional.empty(), HostNames.normalise("acme..example"));
        assertEquals(Optional.empty(), HostNames.normalise("a".repeat(64) + ".example"));
        assertEquals(Optional.empty(), HostNames.normalise("xn--zz.example")); // invalid punycode
        assertEquals(Optional.empty(), HostNames.normalise("acme\u0000.example"));
        assertEquals(Optional.empty(), HostNames.normalise("ac\u202Eme.example")); // bidi override
    }
}
