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
    }

    @Test
    void rejectsWhatCannotNameAShop() {
        assertEquals(Optional.empty(), HostNames.normalise(null));
        assertEquals(Optional.empty(), HostNames.normalise(""));
        assertEquals(Optional.empty(), HostNames.normalise("[::1]:8080"));
        assertEquals(Optional.empty(), HostNames.normalise("bad_host!.example"));
    }
}
