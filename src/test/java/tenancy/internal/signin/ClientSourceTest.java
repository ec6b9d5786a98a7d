package tenancy.internal.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which client address a sign-in attempt counts for: the gateway's word only when its signature verified. */
class ClientSourceTest {

    @Test
    void aGatewaysForwardedAddressCountsWhenTrusted() {
        assertEquals("ip4:203.0.113.7", ClientSource.of(true, "for=\"203.0.113.7\";host=\"shop.example\";proto=https",
                "198.51.100.1, 203.0.113.7", "10.0.0.5"));
        assertEquals("ip4:203.0.113.7", ClientSource.of(true, "for=203.0.113.7:52100", null, "10.0.0.5"));
        assertEquals("ip4:203.0.113.7", ClientSource.of(true, null, "198.51.100.1, 203.0.113.7", "10.0.0.5"),
                "else the last hop of X-Forwarded-For: the one the gateway added");
        assertEquals("ip4:10.0.0.5", ClientSource.of(true, "for=unknown", "_hidden", "10.0.0.5"),
                "else the peer");
    }

    @Test
    void forwardingHeadersWithoutAVerifiedSignatureAreIgnored() {
        assertEquals("ip4:127.0.0.1", ClientSource.of(false, "for=\"203.0.113.7\"", "203.0.113.7", "127.0.0.1"));
        assertEquals(ClientSource.UNKNOWN, ClientSource.of(false, "for=\"203.0.113.7\"", null, null));
    }

    @Test
    void ipv6AddressesCountPerSlash64() {
        assertEquals("ip6:2001:db8:1:2::/64", ClientSource.of(false, null, null, "2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("ip6:2001:db8:1:2::/64", ClientSource.of(true, "for=\"[2001:db8:1:2::99]:443\"", null, "10.0.0.5"));
        assertEquals("ip6:2001:db8:1:2::/64", ClientSource.of(true, "for=\"2001:db8:1:2::1\"", null, "10.0.0.5"),
                "the gateway writes IPv6 unbracketed");
        assertEquals("ip6:0:0:0:0::/64", ClientSource.of(false, null, null, "::1"));
        assertEquals("ip4:192.0.2.1", ClientSource.of(false, null, null, "::ffff:192.0.2.1"), "IPv4-mapped");
    }

    @Test
    void onlyAddressLiteralsAreAccepted() {
        assertEquals(Optional.of("ip4:1.2.3.4"), ClientSource.normalise(" 001.2.3.4 "));
        assertEquals(Optional.empty(), ClientSource.normalise("256.1.1.1"));
        assertEquals(Optional.empty(), ClientSource.normalise("shop.example"));
        assertEquals(Optional.empty(), ClientSource.normalise("fe80::1%eth0"));
        assertEquals(Optional.empty(), ClientSource.normalise("[::1"));
        assertEquals(Optional.empty(), ClientSource.normalise(":::::::::"));
        assertEquals(Optional.empty(), ClientSource.normalise(""));
    }
}
