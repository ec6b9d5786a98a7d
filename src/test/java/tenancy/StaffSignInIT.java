package tenancy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import platform.PasswordHashes;
import platform.Problem;
import platform.SignedTenantHeader;
import testsupport.Infra;
import testsupport.RawHttp;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * Staff sign-in on a cell against real PostgreSQL and Redis: attempts are limited per client
 * address and per account and address before any password is hashed (429 with Retry-After), an
 * owner locked out from one address still signs in from another, an unknown email is answered like a
 * wrong password, only the gateway's signed requests may name the client address, and a hash of the
 * earlier PBKDF2 format (or with weaker Argon2 factors) becomes an Argon2id hash at the next
 * successful sign-in. Each test acts from addresses of its own (as a gateway forwards them), so that
 * counts left in Redis by earlier runs do not matter.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class StaffSignInIT {

    /** The Argon2id factors the cell hashes with (the defaults). */
    static final String CONFIGURED = "$argon2id$v=19$m=19456,t=2,p=1$";

    static Shop shop;

    @BeforeEach
    void shop() {
        if (shop == null) { // once per class; REST Assured knows the app's port only from the first test on
            shop = Shops.create("cell1", "signin");
        }
    }

    @Test
    void manyAttemptsFromOneAddressGet429WithRetryAfterWhileOtherAddressesSignIn() {
        String address = randomAddress();
        int unauthorized = 0;
        Response refused = null;
        long refusedAt = 0;
        for (int i = 0; i < 4 * CellRoleProfile.SIGN_IN_SOURCE_BURST && refused == null; i++) {
            // a new email each time: only the address's limit applies
            Response answer = signIn(shop, address, "nobody-" + i + "@" + shop.handle() + ".example", "guess " + i);
            if (answer.statusCode() == 429) {
                refused = answer;
                refusedAt = System.nanoTime();
            } else {
                assertEquals(401, answer.statusCode(), answer.asString());
                unauthorized++;
            }
        }
        assertTrue(refused != null, "no 429 after " + unauthorized + " attempts from one address");
        assertTrue(unauthorized >= CellRoleProfile.SIGN_IN_SOURCE_BURST, "the burst is admitted: " + unauthorized);
        assertEquals(Problem.MEDIA_TYPE, refused.contentType());
        assertEquals(429, refused.jsonPath().getInt("status"));
        assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1, refused.header("Retry-After"));
        // refused before the password is looked at, also the right one, unless the limit let one more attempt in
        // meanwhile (one every 60 s / SIGN_IN_SOURCE_LIMIT: the 429 may have come just before that): then that
        // attempt took the one free place, and the next one at once is refused again
        long emissionNanos = 60_000_000_000L / CellRoleProfile.SIGN_IN_SOURCE_LIMIT;
        long askedAt = System.nanoTime(); // the limit admits an attempt before its password is checked
        int rightPassword = signIn(shop, address, shop.ownerEmail(), shop.ownerPassword()).statusCode();
        if (rightPassword != 429) {
            assertEquals(201, rightPassword);
            int next = signIn(shop, address, "nobody-after@" + shop.handle() + ".example", "guess").statusCode();
            long took = System.nanoTime() - askedAt;
            assertTrue(next == 429 || took >= emissionNanos, "a limited address got one attempt in "
                    + (askedAt - refusedAt) / 1_000_000 + " ms after a 429, and the next " + took / 1_000_000 + " ms later: " + next);
        }
        assertEquals(201, signIn(shop, randomAddress(), shop.ownerEmail(), shop.ownerPassword()).statusCode(),
                "another address is not limited");
    }

    @Test
    void anOwnerLockedOutFromOneAddressStillSignsInFromAnother() {
        String attacker = randomAddress();
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn(shop, attacker, shop.ownerEmail(), "wrong guess " + i).statusCode());
        }
        Response refused = signIn(shop, attacker, shop.ownerEmail(), shop.ownerPassword());
        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals(Problem.MEDIA_TYPE, refused.contentType());
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 180, "one more guess every 3 minutes: " + retryAfter);

        String owner = randomAddress();
        Response signedIn = signIn(shop, owner, shop.ownerEmail(), shop.ownerPassword());
        assertEquals(201, signedIn.statusCode(), signedIn.asString());
        assertTrue(signedIn.jsonPath().getString("token").startsWith("sfa_"));
        // a success empties the owner's own count: a few typos later they are still admitted
        for (int i = 0; i < 4; i++) {
            assertEquals(401, signIn(shop, owner, shop.ownerEmail(), "typo " + i).statusCode());
        }
        assertEquals(201, signIn(shop, owner, shop.ownerEmail(), shop.ownerPassword()).statusCode());
    }

    @Test
    void anUnknownEmailIsAnsweredExactlyLikeAWrongPassword() {
        Response unknown = signIn(shop, randomAddress(), "nobody@" + shop.handle() + ".example", "some password");
        Response wrong = signIn(shop, randomAddress(), shop.ownerEmail(), "some password");
        assertEquals(401, unknown.statusCode());
        assertEquals(wrong.statusCode(), unknown.statusCode());
        assertEquals(wrong.contentType(), unknown.contentType());
        assertEquals(wrong.asString(), unknown.asString());
        assertEquals(wrong.header("Retry-After"), unknown.header("Retry-After"));
    }

    @Test
    void forwardingHeadersOfRequestsWithoutTheGatewaysSignatureAreNotBelieved() throws Exception {
        // a client of its own (another loopback address) that names a new address in every request
        InetAddress client = InetAddress.getByName("127.0.0." + ThreadLocalRandom.current().nextInt(2, 255));
        int refusedAt = -1;
        for (int i = 0; i < 4 * CellRoleProfile.SIGN_IN_SOURCE_BURST && refusedAt < 0; i++) {
            String spoofed = randomAddress();
            String body = "{\"email\":\"nobody-" + i + "@" + shop.handle() + ".example\",\"password\":\"guess\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /api/admin/tokens HTTP/1.1\r\nHost: " + shop.host() + "\r\nForwarded: for=\"" + spoofed
                    + "\"\r\nX-Forwarded-For: " + spoofed + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n";
            byte[] request = new byte[head.length() + bytes.length];
            System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
            System.arraycopy(bytes, 0, request, head.length(), bytes.length);
            RawHttp.Response answer = RawHttp.send("http://127.0.0.1:" + RestAssured.port, request, client);
            if (answer.status() == 429) {
                refusedAt = i;
                assertTrue(Integer.parseInt(answer.header("Retry-After")) >= 1);
            } else {
                assertEquals(401, answer.status(), answer.body());
            }
        }
        assertTrue(refusedAt >= 0, "every attempt counted for the address it claimed, not for " + client);
    }

    @Test
    void anEarlierPbkdf2HashBecomesArgon2idAtTheNextSuccessfulSignIn() throws Exception {
        Shop legacy = Shops.create("cell1", "signin-legacy");
        String pbkdf2 = pbkdf2(legacy.ownerPassword());
        storeHash(legacy, pbkdf2);
        String address = randomAddress();

        assertEquals(401, signIn(legacy, address, legacy.ownerEmail(), "not the password").statusCode());
        assertEquals(pbkdf2, storedHash(legacy), "a wrong password changes nothing");

        assertEquals(201, signIn(legacy, address, legacy.ownerEmail(), legacy.ownerPassword()).statusCode());
        String argon2 = storedHash(legacy);
        assertTrue(argon2.startsWith(CONFIGURED), argon2);
        assertTrue(new PasswordHashes(PasswordHashes.OWASP_MINIMUM).verify(legacy.ownerPassword(), argon2));

        assertEquals(201, signIn(legacy, address, legacy.ownerEmail(), legacy.ownerPassword()).statusCode());
        assertEquals(argon2, storedHash(legacy), "an up-to-date hash is kept");
    }

    @Test
    void anArgon2HashWithWeakerFactorsIsReplacedAtTheNextSuccessfulSignIn() throws Exception {
        Shop weak = Shops.create("cell1", "signin-weak");
        String old = new PasswordHashes(new PasswordHashes.Argon2(1024, 1, 1)).hash(weak.ownerPassword());
        storeHash(weak, old);
        assertEquals(201, signIn(weak, randomAddress(), weak.ownerEmail(), weak.ownerPassword()).statusCode());
        String now = storedHash(weak);
        assertNotEquals(old, now);
        assertTrue(now.startsWith(CONFIGURED), now);
    }

    /** A sign-in as a gateway forwards it: signed tenant header, and the client's address in Forwarded and X-Forwarded-For. */
    static Response signIn(Shop shop, String clientAddress, String email, String password) {
        return given()
                .header(SignedTenantHeader.NAME, SignedTenantHeader.sign(CellRoleProfile.TENANT_HEADER_SECRET, shop.tenantId(), Instant.now()))
                .header("Forwarded", "for=\"" + clientAddress + "\";host=\"" + shop.host() + "\";proto=http")
                .header("X-Forwarded-For", "192.0.2.1, " + clientAddress)
                .contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/admin/tokens");
    }

    /** A random address of the benchmarking range 198.18.0.0/15: one no other test or run uses. */
    static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198." + random.nextInt(18, 20) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    /** A hash in the earlier format (PBKDF2-HMAC-SHA256, 120,000 iterations), made here independently of the application. */
    static String pbkdf2(String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 120_000, 256)).getEncoded();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "pbkdf2-sha256$120000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    static void storeHash(Shop shop, String hash) throws Exception {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement update = db.prepareStatement(
                    "update tenancy_staff set password_hash = ? where tenant_id = ? and email = ?")) {
                update.setString(1, hash);
                update.setObject(2, shop.tenantId());
                update.setString(3, shop.ownerEmail());
                assertEquals(1, update.executeUpdate());
            }
            db.commit();
        }
    }

    static String storedHash(Shop shop) throws Exception {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement query = db.prepareStatement(
                    "select password_hash from tenancy_staff where tenant_id = ? and email = ?")) {
                query.setObject(1, shop.tenantId());
                query.setString(2, shop.ownerEmail());
                try (ResultSet rows = query.executeQuery()) {
                    assertTrue(rows.next(), "the owner's account");
                    return rows.getString(1);
                } finally {
                    db.rollback();
                }
            }
        }
    }
}
