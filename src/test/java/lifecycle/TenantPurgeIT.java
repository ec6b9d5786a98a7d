package lifecycle;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import testsupport.Infra;
import testsupport.Node;
import testsupport.Operator;
import testsupport.RedisCommands;

/**
 * A shop's purge on a whole platform on loopback (control node, one cell, one gateway): asked for by an operator, the
 * shop stops being served through the gateway at once; its cell deletes every row of it from every table that has a
 * tenant id (the check reads the tables from the schema, so a table added later is checked too), its Redis keys and
 * its archives; the gateway drops its edge entries; the control plane keeps an audit record with the counts and no
 * personal data; a neighbour shop's rows are unchanged. A cell killed in the middle of a purge finishes it after its
 * restart, counting every row once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantPurgeIT {

    static Node control;
    static Node gateway;
    static Node cell;
    static String cellId;
    static Operator operator;
    static Path archives;

    @BeforeAll
    static void platform() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Path snapshot = Path.of("target/gateway-routes-purge-" + suffix + ".json").toAbsolutePath();
        Files.deleteIfExists(snapshot);
        archives = Path.of("target/archives-purge-" + suffix).toAbsolutePath();
        cellId = "pg" + suffix;
        control = Node.control(1).start();
        operator = new Operator(control);
        cell = Node.cell(cellId, Infra.TEST_CELL_DB, 1).with("STOREFRONT_EDGE_MAX_AGE", "300")
                .with("LIFECYCLE_ARCHIVE_DIR", archives.toString()).with("OPERATOR_TOKEN", Operator.TOKEN)
                .with("LIFECYCLE_PURGE_BATCH_ROWS", "50").with("LIFECYCLE_PURGE_DUTY_PERCENT", "10").start();
        gateway = Node.gateway(snapshot.toString()).start();
        operator.register(cellId, cell, 1000, 100_000);
        operator.drainAllBut(cellId);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.undrainDrained();
        }
        Node.stopAll(gateway, cell, control);
    }

    @Test
    @Order(1)
    void aPurgedShopLeavesNothingBehindAndItsNeighbourIsUntouched() throws Exception {
        Shop gone = shop("gone");
        Shop neighbour = shop("stays");
        for (Shop shop : List.of(gone, neighbour)) {
            product(shop, "mug");
            product(shop, "plate");
            order(shop, "mug");
            for (int i = 0; i < 2; i++) {
                shopper(shop).get("/api/storefront/products/plate").then().statusCode(200); // cached at the edge and in Redis
                shopper(shop).get("/api/storefront/products").then().statusCode(200);
            }
        }
        String export = given().baseUri(cell.managementUrl()).auth().oauth2(Operator.TOKEN)
                .post("/q/lifecycle/shops/" + gone.id + "/exports").then().statusCode(202).extract().path("id");
        Path archive = archives.resolve(gone.id + "/" + export + ".zip");
        await().atMost(Infra.PATIENCE).until(() -> Files.exists(archive));
        assertTrue(edgeEntries(gone.id) > 0, "the gateway holds the shop's answers");
        assertFalse(redisKeys(gone.id).isEmpty(), "the cell's Redis holds the shop's keys");
        Map<String, Long> rowsBefore = rows(gone.id);
        assertTrue(rowsBefore.getOrDefault("catalog_product", 0L) == 2 && rowsBefore.getOrDefault("orders_order", 0L) == 1, rowsBefore.toString());
        Map<String, String> neighbourBefore = checksums(neighbour.id);

        long asked = System.nanoTime();
        JsonPath purge = operator.api().post("/api/controlplane/tenants/" + gone.id + "/purge").then().statusCode(202)
                .extract().jsonPath();
        assertEquals("purging", purge.getString("status"));
        assertEquals("deleting", purge.getString("tenantStatus"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> shopper(gone).get("/api/storefront/products/plate").statusCode() == 404);
        System.out.printf("the gateway stopped serving the shop %d ms after the request%n", (System.nanoTime() - asked) / 1_000_000);
        assertEquals(0, edgeEntries(gone.id), "the gateway dropped the shop's entries");

        JsonPath done = awaitPurged(gone.id);
        assertEquals("deleted", done.getString("tenantStatus"));
        assertEquals("operator", done.getString("requestedBy"));
        assertTrue(done.getLong("durationMs") >= 0);
        assertTrue(done.getString("deadlineAt").compareTo(done.getString("requestedAt")) > 0);
        Map<String, Object> deleted = done.getMap("deletedRows");
        assertEquals(2, ((Number) deleted.get("catalog_product")).intValue(), deleted.toString());
        assertEquals(1, ((Number) deleted.get("orders_order")).intValue());
        assertEquals(1, ((Number) deleted.get("tenancy_tenant")).intValue());
        assertTrue(done.getLong("redisKeys") > 0);
        assertEquals(1, done.getLong("archives"));
        for (Map.Entry<String, Long> table : rowsBefore.entrySet()) {
            if (!table.getKey().equals("platform_outbox") && !table.getKey().equals("lifecycle_export") && table.getValue() > 0) {
                assertEquals(table.getValue(), ((Number) deleted.getOrDefault(table.getKey(), 0)).longValue(),
                        "rows of " + table.getKey() + " counted");
            }
        }

        assertEquals(Map.of(), nonEmpty(rows(gone.id)), "no row of the shop in any table with a tenant id");
        assertEquals(List.of(), redisKeys(gone.id), "no Redis key of the shop");
        assertFalse(Files.exists(archive), "its archive is deleted");
        assertEquals(0, edgeEntries(gone.id));
        assertEquals(neighbourBefore, checksums(neighbour.id), "the neighbour's rows are unchanged");
        shopper(neighbour).get("/api/storefront/products/plate").then().statusCode(200);

        JsonPath tenant = operator.api().get("/api/controlplane/tenants/" + gone.id).then().statusCode(200).extract().jsonPath();
        assertEquals("deleted", tenant.getString("status"));
        assertNull(tenant.getString("ownerEmail"), "no personal data is kept");
        assertEquals(List.of(), tenant.getList("domains"));
        // asked again: the same record, answered clearly
        operator.api().post("/api/controlplane/tenants/" + gone.id + "/purge").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("done"));
        operator.api().post("/api/controlplane/tenants/" + UUID.randomUUID() + "/purge").then().statusCode(404)
                .contentType("application/problem+json");
        operator.api().get("/api/controlplane/tenants/" + neighbour.id + "/purge").then().statusCode(404);
        given().baseUri(control.baseUrl()).post("/api/controlplane/tenants/" + neighbour.id + "/purge").then().statusCode(401);
    }

    @Test
    @Order(2)
    void aCellKilledInTheMiddleOfAPurgeFinishesItAfterItsRestartCountingEveryRowOnce() throws Exception {
        Shop big = shop("big");
        Shop neighbour = shop("next");
        product(neighbour, "lamp");
        bulkProducts(big, 1_500); // 4,500 rows: 90 batches of 50
        Map<String, Long> before = rows(big.id);
        Map<String, String> neighbourBefore = checksums(neighbour.id);
        operator.api().post("/api/controlplane/tenants/" + big.id + "/purge").then().statusCode(202);
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> batches(big.id) >= 5);
        cell.kill();
        long doneBeforeKill = batches(big.id);
        assertTrue(rows(big.id).getOrDefault("catalog_product", 0L) > 0, "the purge was cut in the middle");
        cell.start();
        JsonPath done = awaitPurged(big.id);
        Map<String, Object> deleted = done.getMap("deletedRows");
        for (String table : List.of("catalog_product", "catalog_variant", "catalog_inventory")) {
            assertEquals(before.get(table), ((Number) deleted.get(table)).longValue(), "every row of " + table + " counted once");
        }
        assertTrue(batches(big.id) > doneBeforeKill);
        assertEquals(Map.of(), nonEmpty(rows(big.id)));
        assertEquals(neighbourBefore, checksums(neighbour.id));
    }

    // --- helpers

    record Shop(String id, String handle, String host, String token) {}

    static Shop shop(String prefix) {
        String handle = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Operator.Created created = operator.create(handle);
        assertEquals(cellId, operator.awaitActive(created.id()));
        operator.api().body(Map.of("requestsPerSecond", 5000, "burst", 10000)).put("/api/controlplane/tenants/" + created.id() + "/limits")
                .then().statusCode(200);
        String host = handle + ".shops.localhost";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(gateway.baseUrl()).header("Host", host)
                .get("/api/storefront/shop?probe=" + UUID.randomUUID()).then().statusCode(200)
                .header("RateLimit-Policy", "5000;w=1;burst=10000"));
        String token = given().baseUri(gateway.baseUrl()).header("Host", host).contentType(ContentType.JSON)
                .body(Map.of("email", "o@" + handle + ".example", "password", created.ownerPassword()))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
        return new Shop(created.id(), handle, host, token);
    }

    static RequestSpecification shopper(Shop shop) {
        return given().baseUri(gateway.baseUrl()).header("Host", shop.host());
    }

    static void product(Shop shop, String handle) {
        shopper(shop).header("Authorization", "Bearer " + shop.token()).contentType(ContentType.JSON)
                .body(Map.of("handle", handle, "title", handle, "variants", List.of(Map.of("sku", handle + "-1", "title", "One",
                        "priceMinor", 1200, "currency", "EUR", "options", Map.of(), "inventory", 9))))
                .post("/api/admin/products").then().statusCode(201);
    }

    static void order(Shop shop, String handle) {
        String variant = shopper(shop).get("/api/storefront/products/" + handle).then().statusCode(200).extract().path("variants[0].id");
        String cart = shopper(shop).contentType(ContentType.JSON).post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        shopper(shop).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        shopper(shop).contentType(ContentType.JSON).header("Idempotency-Key", "purge-" + UUID.randomUUID())
                .body(Map.of("cartId", cart, "email", "buyer@example.com")).post("/api/storefront/checkouts").then().statusCode(201);
    }

    static JsonPath awaitPurged(String tenant) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = operator.api().get("/api/controlplane/tenants/" + tenant + "/purge").then().statusCode(200).extract().jsonPath();
            return "done".equals(last[0].getString("status"));
        });
        return last[0];
    }

    static long edgeEntries(String tenant) {
        Map<String, Object> view = given().baseUri(gateway.managementUrl()).queryParam("tenant", tenant).get("/q/gateway/edge-cache")
                .then().statusCode(200).extract().jsonPath().getMap("tenant");
        return ((Number) view.get("entries")).longValue();
    }

    static List<String> redisKeys(String tenant) {
        String out = RedisCommands.run("--scan", "--pattern", "*" + tenant + "*");
        List<String> keys = new ArrayList<>();
        out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(keys::add);
        return keys;
    }

    /**
     * The tenant's rows in every table of the cell schema that has a tenant id (read from the catalogue, partitions
     * excluded), in a transaction bound to the tenant (row-level security admits its rows).
     */
    static Map<String, Long> rows(String tenant) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, UUID.fromString(tenant));
            for (String table : tenantTables(db)) {
                try (PreparedStatement count = db.prepareStatement("select count(*) from " + table + " where tenant_id = ?::uuid")) {
                    count.setString(1, tenant);
                    try (ResultSet row = count.executeQuery()) {
                        row.next();
                        rows.put(table, row.getLong(1));
                    }
                }
            }
            db.rollback();
        }
        return rows;
    }

    /** A digest of the tenant's rows per table (the neighbour's, before and after). */
    static Map<String, String> checksums(String tenant) throws SQLException {
        Map<String, String> sums = new TreeMap<>();
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, UUID.fromString(tenant));
            for (String table : tenantTables(db)) {
                if (table.equals("platform_outbox") || table.equals("tenancy_api_token")) {
                    continue; // the relay marks outbox rows published; sign-ins make tokens
                }
                try (PreparedStatement sum = db.prepareStatement("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|'"
                        + " order by t::text)), '') from " + table + " t where tenant_id = ?::uuid")) {
                    sum.setString(1, tenant);
                    try (ResultSet row = sum.executeQuery()) {
                        row.next();
                        sums.put(table, row.getString(1));
                    }
                }
            }
            db.rollback();
        }
        return sums;
    }

    static List<String> tenantTables(Connection db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement select = db.prepareStatement("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition and exists (select 1"
                + " from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) order by 1");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        assertTrue(tables.size() >= 20, tables.toString());
        return tables;
    }

    static Map<String, Long> nonEmpty(Map<String, Long> rows) {
        Map<String, Long> left = new TreeMap<>();
        rows.forEach((table, count) -> {
            if (count > 0) {
                left.put(table, count);
            }
        });
        return left;
    }

    static long batches(String tenant) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB);
             PreparedStatement select = db.prepareStatement("select coalesce((select batches from lifecycle_purge where purged_tenant = ?::uuid), 0)")) {
            select.setString(1, tenant);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Products with one variant and stock each, written straight into the database (fast; what the admin API would write). */
    static void bulkProducts(Shop shop, int count) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, UUID.fromString(shop.id()));
            try (PreparedStatement insert = db.prepareStatement("with p as (insert into catalog_product (tenant_id, product_id, handle,"
                    + " title, description, status, created_at, updated_at, version) select ?::uuid, gen_random_uuid(), 'bulk-' || i,"
                    + " 'Bulk ' || i, '', 'active', now(), now(), 0 from generate_series(1, ?) i returning product_id, handle),"
                    + " v as (insert into catalog_variant (tenant_id, variant_id, product_id, sku, title, price_minor, currency, options,"
                    + " position) select ?::uuid, gen_random_uuid(), p.product_id, p.handle, 'One', 100, 'EUR', '{}', 0 from p"
                    + " returning variant_id) insert into catalog_inventory (tenant_id, variant_id, available, updated_at)"
                    + " select ?::uuid, variant_id, 5, now() from v")) {
                insert.setString(1, shop.id());
                insert.setInt(2, count);
                insert.setString(3, shop.id());
                insert.setString(4, shop.id());
                insert.executeUpdate();
            }
            db.commit();
        }
    }
}
