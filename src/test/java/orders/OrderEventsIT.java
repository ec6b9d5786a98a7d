package orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops;
import testsupport.Shops.Shop;
import testsupport.TopicRecords;

/**
 * Every acknowledged order has exactly one OrderPlaced event on Kafka, also when the broker is down
 * while orders are taken (the outbox keeps them and the relay resumes when it returns); the shop's
 * customer record counts each acknowledged order once, at its commit, whatever the broker does.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class OrderEventsIT {

    static final String TOPIC = Infra.topic(OrderPlaced.TOPIC);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyAcknowledgedOrderIsPublishedOnceThroughABrokerOutage() throws Exception {
        Shop shop = Shops.create("cell1", "events");
        String token = Shops.ownerToken(shop);
        String variant = Catalogs.product(shop, token, "evt", "EUR", new Object[] {"e", 300, 100}).getString("variants[0].id");
        ensureTopic();
        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                acknowledged.add(checkout(shop, variant));
            }
            Infra.infra("stop", "kafka");
            try {
                for (int i = 0; i < 4; i++) {
                    acknowledged.add(checkout(shop, variant)); // taken while the broker is down
                }
            } finally {
                Infra.infra("start", "kafka");
            }
            Map<String, Integer> placed = new HashMap<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(record.value());
                    if ("OrderPlaced".equals(event.path("type").asText())
                            && shop.tenantId().toString().equals(event.path("tenantId").asText())) {
                        placed.merge(event.path("data").path("orderId").asText(), 1, Integer::sum);
                    }
                }
                return placed.keySet().containsAll(acknowledged);
            });
            drain(consumer, placed);
            for (String order : acknowledged) {
                assertEquals(1, placed.get(order), "OrderPlaced events of order " + order);
            }
            assertEquals(Set.copyOf(acknowledged), placed.keySet());

            // counted in the checkout's own transaction: exact at once, broker outage or not
            assertEquals(acknowledged.size(), customerOrders(shop), "orders in the customer record");
        }
    }

    private static String checkout(Shop shop, String variant) {
        String cart = given().header("Host", shop.host()).post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        given().header("Host", shop.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        return given().header("Host", shop.host()).contentType(ContentType.JSON)
                .header("Idempotency-Key", "evt-" + cart)
                .body(Map.of("cartId", cart, "email", "events@example.com"))
                .post("/api/storefront/checkouts").then().statusCode(201).extract().path("id");
    }

    private static void ensureTopic() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.KAFKA);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static KafkaConsumer<String, String> consumerAtEnd() {
        KafkaConsumer<String, String> consumer = TopicRecords.consumer("read_committed");
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Reads on until the consumer has caught up with the end of every partition. */
    private static void drain(KafkaConsumer<String, String> consumer, Map<String, Integer> placed) throws Exception {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        await().atMost(Infra.PATIENCE).until(() -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                JsonNode event = JSON.readTree(record.value());
                if ("OrderPlaced".equals(event.path("type").asText())) {
                    placed.computeIfPresent(event.path("data").path("orderId").asText(), (k, n) -> n + 1);
                }
            }
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
    }

    private static long customerOrders(Shop shop) throws Exception {
        try (Connection app = Infra.app(Infra.TEST_CELL_DB)) {
            app.setAutoCommit(false);
            try (PreparedStatement tenant = app.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
                tenant.setString(1, shop.tenantId().toString());
                tenant.execute();
            }
            try (PreparedStatement query = app.prepareStatement("select coalesce(sum(orders), 0) from orders_customer where email = ?")) {
                query.setString(1, "events@example.com");
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    long orders = rows.getLong(1);
                    app.rollback();
                    return orders;
                }
            }
        }
    }
}
