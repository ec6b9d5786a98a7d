package lifecycle;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Management;
import testsupport.Operator;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * A shop's export and import: the owner exports the shop and downloads the archive by a short-lived link (staff who
 * are not the owner, other shops and stale links get nothing); an operator's export imported into an empty shop gives
 * the same rows (the same checksums when that shop is exported in turn), a repeated import changes nothing, and a
 * truncated, altered or owner's archive is refused naming what failed, with nothing imported.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class TenantExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOwnerExportsTheShopAndDownloadsItByAShortLivedLink() throws Exception {
        Shop shop = Shops.create("cell1", "export");
        Shop other = Shops.create("cell1", "export-other");
        String token = Shops.ownerToken(shop);
        Catalogs.product(shop, token, "tea", "EUR", new Object[] {"tea-1", 450, 10});
        Catalogs.product(shop, token, "cup", "EUR", new Object[] {"cup-1", 900, 3}, new Object[] {"cup-2", 950, 2});
        order(shop, token, "tea");

        given().header("Host", shop.host()).post("/api/admin/exports").then().statusCode(401);
        String clerk = Shops.clerkToken(shop);
        given().header("Host", shop.host()).auth().oauth2(clerk).post("/api/admin/exports").then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Host", shop.host()).auth().oauth2(clerk).get("/api/admin/exports").then().statusCode(403);

        Response asked = given().header("Host", shop.host()).auth().oauth2(token).post("/api/admin/exports");
        asked.then().statusCode(202);
        String location = asked.header("Location");
        String id = asked.path("id");
        assertTrue(location.endsWith("/api/admin/exports/" + id), location);
        JsonPath ready = awaitReady(shop, token, id);
        assertEquals("owner", ready.getString("scope"));
        assertEquals(shop.ownerEmail(), ready.getString("requestedBy"));
        Map<String, Map<String, Object>> tables = tables(ready.getList("manifest.tables"));
        assertEquals(2, number(tables, "catalog_product", "rows"));
        assertEquals(3, number(tables, "catalog_variant", "rows"));
        assertEquals(1, number(tables, "orders_order", "rows"));
        assertEquals(2, number(tables, "tenancy_staff", "rows"));
        assertFalse(tables.containsKey("tenancy_api_token"), "an owner's export has no API tokens");
        assertFalse(tables.containsKey("platform_outbox"), "the outbox is the cell's work, not the shop's data");
        assertFalse(tables.containsKey("tenancy_host"), "the cell's directory is provisioning's");
        assertFalse(tables.containsKey("lifecycle_export"));

        JsonPath link = given().header("Host", shop.host()).auth().oauth2(token).post("/api/admin/exports/" + id + "/link")
                .then().statusCode(200).extract().jsonPath();
        String url = link.getString("url");
        byte[] archive = given().header("Host", shop.host()).get(url).then().statusCode(200)
                .contentType("application/zip").header("Cache-Control", "no-store").extract().asByteArray();
        Map<String, byte[]> entries = unzip(archive);
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        assertEquals(shop.tenantId().toString(), manifest.path("tenantId").asText());
        for (JsonNode table : manifest.path("tables")) {
            byte[] rows = entries.get("tables/" + table.path("name").asText() + ".ndjson");
            assertNotNull(rows, table.path("name").asText());
            assertEquals(table.path("sha256").asText(), sha256(rows), "the checksum of " + table.path("name").asText());
            assertEquals(table.path("rows").asLong(), new String(rows, StandardCharsets.UTF_8).lines().count());
        }
        String staff = new String(entries.get("tables/tenancy_staff.ndjson"), StandardCharsets.UTF_8);
        assertTrue(staff.contains("\"password_hash\": \"redacted\""), staff);
        assertFalse(staff.contains("$argon2"), "no password hash leaves the cell in an owner's export");
        assertTrue(new String(entries.get("tables/catalog_product.ndjson"), StandardCharsets.UTF_8).contains("\"handle\": \"cup\""));
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            if (entry.getKey().endsWith(".ndjson")) {
                assertFalse(new String(entry.getValue(), StandardCharsets.UTF_8).contains("\"tenant_id\""),
                        "rows carry no tenant id (an archive can go into another shop): " + entry.getKey());
            }
        }

        String path = url.substring(0, url.indexOf('?'));
        given().header("Host", shop.host()).queryParam("token", "sfx_wrong").get(path).then().statusCode(404);
        given().header("Host", other.host()).get(url).then().statusCode(404); // another shop's host: not its export
        given().header("Host", shop.host()).get(path).then().statusCode(400); // no token
        String second = given().header("Host", shop.host()).auth().oauth2(token).post("/api/admin/exports/" + id + "/link")
                .then().statusCode(200).extract().path("url");
        given().header("Host", shop.host()).get(url).then().statusCode(404); // a new link replaces the old one
        expireLink(shop, id);
        given().header("Host", shop.host()).get(second).then().statusCode(410).contentType("application/problem+json");

        given().header("Host", shop.host()).auth().oauth2(token).get("/api/admin/exports").then().statusCode(200)
                .body("[0].id", org.hamcrest.Matchers.equalTo(id));
        given().header("Host", other.host()).auth().oauth2(Shops.ownerToken(other)).get("/api/admin/exports/" + id)
                .then().statusCode(404);
        given().header("Host", shop.host()).auth().oauth2(token).get("/api/admin/exports/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anOperatorsExportImportedIntoAnEmptyShopGivesTheSameRows() throws Exception {
        Shop source = Shops.create("cell1", "source");
        String token = Shops.ownerToken(source);
        Catalogs.product(source, token, "kettle", "EUR", new Object[] {"k-1", 2500, 7});
        Catalogs.product(source, token, "teapot", "EUR", new Object[] {"t-1", 3100, 4}, new Object[] {"t-2", 3300, 5});
        order(source, token, "kettle");
        JsonNode exported = operatorExport(source.tenantId());
        assertEquals("full", exported.path("manifest").path("scope").asText());
        assertTrue(tables(exported).containsKey("tenancy_api_token"), "an operator's export has the credentials");
        String key = exported.path("archive").asText();

        Shop target = Shops.create("cell1", "target");
        for (int i = 0; i < 2; i++) { // the empty catalogue is cached
            given().header("Host", target.host()).get("/api/storefront/products").then().statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        }
        JsonNode imported = importArchive(target.tenantId(), key, 200);
        given().header("Host", target.host()).get("/api/storefront/products").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(2));
        assertFalse(imported.path("alreadyImported").asBoolean());
        assertEquals(exported.path("manifest").path("rows").asLong(), imported.path("total").asLong());
        given().header("Host", target.host()).get("/api/storefront/products/teapot").then().statusCode(200)
                .body("variants.size()", org.hamcrest.Matchers.equalTo(2));
        // the source's staff came along: its owner signs in on the target shop
        given().header("Host", target.host()).contentType(ContentType.JSON)
                .body(Map.of("email", source.ownerEmail(), "password", source.ownerPassword()))
                .post("/api/admin/tokens").then().statusCode(201);

        JsonNode again = operatorExport(target.tenantId());
        Map<String, Map<String, Object>> before = tables(exported);
        Map<String, Map<String, Object>> after = tables(again);
        before.remove("tenancy_api_token"); // the sign-in above made a token on the target
        after.remove("tenancy_api_token");
        assertEquals(before, after, "the same tables, rows and checksums");

        JsonNode repeated = importArchive(target.tenantId(), key, 409); // the shop has changed since (a token was made)
        assertTrue(repeated.path("detail").asText().contains("already holds rows"), repeated.toString());
        Shop fresh = Shops.create("cell1", "fresh");
        importArchive(fresh.tenantId(), key, 200);
        JsonNode twice = importArchive(fresh.tenantId(), key, 200);
        assertTrue(twice.path("alreadyImported").asBoolean(), "importing the same archive again changes nothing");

        Shop busy = Shops.create("cell1", "busy");
        Catalogs.product(busy, Shops.ownerToken(busy), "own", "EUR", new Object[] {"o-1", 100, 1});
        JsonNode refused = importArchive(busy.tenantId(), key, 409);
        assertTrue(refused.path("detail").asText().contains("already holds rows of catalog_"), refused.toString());
    }

    @Test
    void aTruncatedAlteredOrOwnersArchiveIsRefusedNamingWhatFailedAndNothingIsImported() throws Exception {
        Shop source = Shops.create("cell1", "damaged");
        String token = Shops.ownerToken(source);
        Catalogs.product(source, token, "lamp", "EUR", new Object[] {"l-1", 4000, 2});
        String key = operatorExport(source.tenantId()).path("archive").asText();
        byte[] archive = Files.readAllBytes(CellRoleProfile.ARCHIVES.resolve(key));
        Shop target = Shops.create("cell1", "damaged-target");

        // a price changed in the rows, the manifest left as it was
        Map<String, byte[]> entries = unzip(archive);
        String products = new String(entries.get("tables/catalog_variant.ndjson"), StandardCharsets.UTF_8);
        entries.put("tables/catalog_variant.ndjson", products.replace("4000", "1").getBytes(StandardCharsets.UTF_8));
        JsonNode altered = importArchive(target.tenantId(), store(target, zip(entries)), 422);
        assertEquals("archive.tables.catalog_variant", altered.path("errors").path(0).path("field").asText(), altered.toString());
        assertEquals(0, rows(target, "catalog_product"), "nothing is half-imported");
        assertEquals(1, rows(target, "tenancy_staff"), "the shop keeps its owner");

        // the archive cut in the middle of a table
        JsonNode truncated = importArchive(target.tenantId(), store(target, java.util.Arrays.copyOf(archive, archive.length / 2)), 422);
        assertTrue(truncated.path("errors").path(0).path("field").asText().startsWith("archive"), truncated.toString());
        assertTrue(truncated.path("detail").asText().contains("truncated") || truncated.path("detail").asText().contains("ends"),
                truncated.toString());
        assertEquals(0, rows(target, "catalog_product"));

        // a table left out, its manifest entry kept
        Map<String, byte[]> missing = unzip(archive);
        missing.remove("tables/catalog_inventory.ndjson");
        JsonNode incomplete = importArchive(target.tenantId(), store(target, zip(missing)), 422);
        assertEquals("archive.tables.catalog_inventory", incomplete.path("errors").path(0).path("field").asText(), incomplete.toString());

        // the owner's export (no credentials) is not importable
        String ownerExport = given().header("Host", source.host()).auth().oauth2(token).post("/api/admin/exports").then()
                .statusCode(202).extract().path("id");
        awaitReady(source, token, ownerExport);
        JsonNode owners = importArchive(target.tenantId(), source.tenantId() + "/" + ownerExport + ".zip", 422);
        assertTrue(owners.path("detail").asText().contains("owner's export"), owners.toString());
        assertEquals(0, rows(target, "catalog_product"));

        // bad requests, unknown shops, no operator
        importArchive(target.tenantId(), "../../etc/passwd", 400);
        importArchive(target.tenantId(), UUID.randomUUID() + "/" + UUID.randomUUID() + ".zip", 400);
        importArchive(UUID.randomUUID(), key, 404);
        given().baseUri(Management.url()).contentType(ContentType.JSON).body(Map.of("archive", key))
                .post("/q/lifecycle/shops/" + target.tenantId() + "/imports").then().statusCode(401);
        given().baseUri(Management.url()).auth().oauth2("not-the-token").contentType(ContentType.JSON).body(Map.of("archive", key))
                .post("/q/lifecycle/shops/" + target.tenantId() + "/imports").then().statusCode(403);
        given().baseUri(Management.url()).auth().oauth2(Operator.TOKEN).contentType(ContentType.JSON).body("{not json")
                .post("/q/lifecycle/shops/" + target.tenantId() + "/imports").then().statusCode(400);
        given().baseUri(Management.url()).auth().oauth2(Operator.TOKEN).post("/q/lifecycle/shops/not-a-uuid/exports").then().statusCode(400);
        given().baseUri(Management.url()).auth().oauth2(Operator.TOKEN).post("/q/lifecycle/shops/" + UUID.randomUUID() + "/exports")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Host", target.host()).post("/q/lifecycle/shops/" + target.tenantId() + "/exports").then().statusCode(404);
    }

    // --- helpers

    private static JsonPath awaitReady(Shop shop, String token, String id) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = given().header("Host", shop.host()).auth().oauth2(token).get("/api/admin/exports/" + id).then()
                    .statusCode(200).extract().jsonPath();
            assertFalse("failed".equals(last[0].getString("status")), last[0].prettify());
            return "ready".equals(last[0].getString("status"));
        });
        return last[0];
    }

    private static JsonNode operatorExport(UUID shop) throws IOException {
        String id = given().baseUri(Management.url()).auth().oauth2(Operator.TOKEN).post("/q/lifecycle/shops/" + shop + "/exports")
                .then().statusCode(202).extract().path("id");
        String[] body = new String[1];
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            body[0] = given().baseUri(Management.url()).auth().oauth2(Operator.TOKEN).get("/q/lifecycle/shops/" + shop + "/exports/" + id)
                    .then().statusCode(200).extract().asString();
            return body[0].contains("\"status\":\"ready\"");
        });
        return JSON.readTree(body[0]);
    }

    private static JsonNode importArchive(UUID shop, String key, int status) throws IOException {
        Response response = given().baseUri(Management.url()).auth().oauth2(Operator.TOKEN).contentType(ContentType.JSON)
                .body(Map.of("archive", key)).post("/q/lifecycle/shops/" + shop + "/imports");
        String body = response.asString();
        assertEquals(status, response.statusCode(), body);
        return JSON.readTree(body);
    }

    private static Map<String, Map<String, Object>> tables(JsonNode job) {
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        for (JsonNode table : job.path("manifest").path("tables")) {
            tables.put(table.path("name").asText(), Map.of("rows", table.path("rows").asLong(), "sha256", table.path("sha256").asText()));
        }
        return tables;
    }

    private static Map<String, Map<String, Object>> tables(List<Map<String, Object>> listed) {
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        listed.forEach(t -> tables.put((String) t.get("name"), t));
        return tables;
    }

    private static long number(Map<String, Map<String, Object>> tables, String table, String field) {
        assertTrue(tables.containsKey(table), table + " in " + tables.keySet());
        return ((Number) tables.get(table).get(field)).longValue();
    }

    /** Puts bytes in the store as an archive of the shop and returns its key. */
    private static String store(Shop shop, byte[] bytes) throws IOException {
        String key = shop.tenantId() + "/" + UUID.randomUUID() + ".zip";
        Path file = CellRoleProfile.ARCHIVES.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return key;
    }

    private static Map<String, byte[]> unzip(byte[] archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void order(Shop shop, String token, String handle) {
        String variant = given().header("Host", shop.host()).get("/api/storefront/products/" + handle).then().statusCode(200)
                .extract().path("variants[0].id");
        String cart = given().header("Host", shop.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                .statusCode(201).extract().path("id");
        given().header("Host", shop.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        given().header("Host", shop.host()).contentType(ContentType.JSON).header("Idempotency-Key", "export-" + UUID.randomUUID())
                .body(Map.of("cartId", cart, "email", "buyer@example.com")).post("/api/storefront/checkouts").then().statusCode(201);
    }

    private static void expireLink(Shop shop, String id) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement update = db.prepareStatement("update lifecycle_export set link_expires_at = now() - interval '1 second'"
                    + " where tenant_id = ? and export_id = ?::uuid")) {
                update.setObject(1, shop.tenantId());
                update.setString(2, id);
                assertEquals(1, update.executeUpdate());
            }
            db.commit();
        }
    }

    private static long rows(Shop shop, String table) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement count = db.prepareStatement("select count(*) from " + table + " where tenant_id = ?")) {
                count.setObject(1, shop.tenantId());
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            } finally {
                db.rollback();
            }
        }
    }
}
