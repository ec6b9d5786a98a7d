package testsupport;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import platform.PasswordHashes;
import platform.SealedBox;
import tenancy.ProvisionTenant;

/** Creates shops on a running cell the way the control plane does: a provisioning command on Kafka. */
public final class Shops {

    /** A shop created for a test, with its owner's credentials. */
    public record Shop(UUID tenantId, String handle, String host, String ownerEmail, String ownerPassword) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PASSWORD_HASHES = new java.util.concurrent.ConcurrentHashMap<>();
    /** Owners' hashes as the control plane makes them with the default work factors. */
    private static final PasswordHashes HASHES = new PasswordHashes(PasswordHashes.OWASP_MINIMUM);

    private Shops() {}

    /** Provisions a new shop with a unique handle on the given cell and waits until it serves. */
    public static Shop create(String cellId, String handlePrefix) {
        String handle = handlePrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Shop shop = new Shop(UUID.randomUUID(), handle, handle + ".shops.localhost", "owner@" + handle + ".example",
                "correct horse battery " + handle);
        send(cellId, shop, List.of(shop.host()));
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(100)).until(() ->
                given().header("Host", shop.host()).get("/api/storefront/shop").statusCode() == 200);
        return shop;
    }

    /** Sends the provisioning command of a shop (again, if it exists: provisioning is idempotent). */
    public static void send(String cellId, Shop shop, List<String> hosts) {
        send(Infra.topic(ProvisionTenant.topicFor(cellId)), cellId, shop, hosts, CellKeys.of(cellId));
    }

    /** A new shop of the given handle prefix, not provisioned anywhere yet. */
    public static Shop unprovisioned(String handlePrefix) {
        String handle = handlePrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new Shop(UUID.randomUUID(), handle, handle + ".shops.localhost", "owner@" + handle + ".example",
                "correct horse battery " + handle);
    }

    /**
     * Sends the provisioning command of a shop on the given commands topic (of some platform), the
     * owner's password hash sealed for the cell's command key as the control plane does.
     */
    public static void send(String topic, String cellId, Shop shop, List<String> hosts, PublicKey cellKey) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("commandId", UUID.randomUUID());
        command.put("cellId", cellId);
        command.put("tenantId", shop.tenantId());
        command.put("handle", shop.handle());
        command.put("plan", "basic");
        command.put("hosts", hosts);
        command.put("ownerEmail", shop.ownerEmail());
        command.put("ownerName", "Owner of " + shop.handle());
        command.put("ownerCredential", SealedBox.seal(PASSWORD_HASHES.computeIfAbsent(shop.ownerPassword(), HASHES::hash),
                cellKey, shop.tenantId().toString()));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", UUID.randomUUID());
        envelope.put("type", "ProvisionTenant");
        envelope.put("tenantId", shop.tenantId());
        envelope.put("cellId", "control");
        envelope.put("occurredAt", java.time.Instant.now().toString());
        envelope.put("data", command);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.KAFKA);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, shop.tenantId().toString(),
                    JSON.writeValueAsString(envelope))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send the provisioning command", e);
        }
    }

    /**
     * An admin API token of a staff member of the shop who is not its owner (made in the database, as an accepted
     * invitation would make it, then signed in through the API).
     */
    public static String clerkToken(Shop shop) {
        String email = "clerk@" + shop.handle() + ".example";
        String password = "clerk password " + shop.handle();
        try (java.sql.Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (java.sql.PreparedStatement insert = db.prepareStatement("insert into tenancy_staff (tenant_id, staff_id, email, name,"
                    + " password_hash, role, failed_sign_ins, created_at) values (?, ?, ?, 'Clerk', ?, 'staff', 0, now())")) {
                insert.setObject(1, shop.tenantId());
                insert.setObject(2, UUID.randomUUID());
                insert.setString(3, email);
                insert.setString(4, HASHES.hash(password));
                insert.executeUpdate();
            }
            db.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot make a clerk of " + shop.handle(), e);
        }
        return given().header("Host", shop.host()).contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
    }

    /** An admin API token of the shop's owner. */
    public static String ownerToken(Shop shop) {
        return given().header("Host", shop.host()).contentType(ContentType.JSON)
                .body(Map.of("email", shop.ownerEmail(), "password", shop.ownerPassword()))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
    }
}
