package tenancy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import platform.Problem;
import platform.SignedTenantHeader;
import tenancy.internal.directory.DirectoryChannel;
import testsupport.CellKeys;
import testsupport.Infra;
import testsupport.Management;
import testsupport.Metrics;
import testsupport.RedisCommands;
import testsupport.Shops;
import testsupport.Shops.Shop;

/** Shops on a cell: provisioning, tenant resolution, staff sign-in, and row-level security. */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class ShopTenancyIT {

    static Shop a;
    static Shop b;

    @BeforeEach
    void shops() {
        if (a == null) { // once per class; REST Assured knows the app's port only from the first test on
            a = Shops.create("cell1", "alpha");
            b = Shops.create("cell1", "beta");
        }
    }

    @Test
    void eachHostServesItsOwnShop() {
        given().header("Host", a.host()).get("/api/storefront/shop").then().statusCode(200).body("handle", equalTo(a.handle()));
        given().header("Host", b.host().toUpperCase() + ".:443").get("/api/storefront/shop").then().statusCode(200)
                .body("handle", equalTo(b.handle()));
    }

    @Test
    void unknownHostIsAProblem() {
        given().header("Host", "nobody.shops.localhost").get("/api/storefront/shop").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("nobody.shops.localhost"));
    }

    @Test
    void provisioningTwiceChangesNothing() {
        Shops.send("cell1", a, List.of(a.host()));
        // a command for another cell that reaches this cell's topic by mistake is ignored here ...
        Shops.send(Infra.topic(ProvisionTenant.topicFor("cell1")), "cell2", a, List.of("elsewhere.shops.localhost"),
                CellKeys.of("cell1"));
        // ... as this one, sent after it on the same partition, shows once it is applied
        String marker = "later-" + UUID.randomUUID().toString().substring(0, 8) + ".shops.localhost";
        Shops.send("cell1", a, List.of(a.host(), marker));
        await().atMost(Infra.PATIENCE).until(() -> given().header("Host", marker).get("/api/storefront/shop").statusCode() == 200);
        given().header("Host", a.host()).get("/api/storefront/shop").then().statusCode(200);
        given().header("Host", "elsewhere.shops.localhost").get("/api/storefront/shop").then().statusCode(404);
        Shops.send("cell1", a, List.of(a.host()));
        await().atMost(Infra.PATIENCE).until(() -> given().header("Host", marker).get("/api/storefront/shop").statusCode() == 404);
    }

    @Test
    void aDirectoryChangeAnnouncedByAnotherNodeIsHeardAtOnce() throws Exception {
        Shop d = Shops.create("cell1", "delta");
        await().atMost(Infra.PATIENCE).until(() -> Metrics.total(Management.url(), "tenancy_directory_channel_live") == 1.0);
        given().header("Host", d.host()).get("/api/storefront/shop").then().statusCode(200);
        // another node of the cell suspends the shop: its rows change ...
        setStatus(d, "suspended");
        // ... which this node does not read again while it hears every change (lookups are kept) ...
        given().header("Host", d.host()).get("/api/storefront/shop").then().statusCode(200);
        // ... until the change is announced: then at once, well before the 2 s a lookup lives unannounced
        RedisCommands.run("PUBLISH", DirectoryChannel.CHANNEL, "changed");
        await().atMost(Duration.ofSeconds(1)).until(() -> given().header("Host", d.host()).get("/api/storefront/shop").statusCode() == 403);
        setStatus(d, "active");
        RedisCommands.run("PUBLISH", DirectoryChannel.CHANNEL, "changed");
        await().atMost(Duration.ofSeconds(1)).until(() -> given().header("Host", d.host()).get("/api/storefront/shop").statusCode() == 200);
    }

    private static void setStatus(Shop shop, String status) throws Exception {
        try (Connection owner = Infra.owner(Infra.TEST_CELL_DB);
             PreparedStatement update = owner.prepareStatement("update tenancy_tenant set status = ? where tenant_id = ?")) {
            update.setString(1, status);
            update.setObject(2, shop.tenantId());
            assertEquals(1, update.executeUpdate());
        }
    }

    @Test
    void signedTenantHeaderIsVerified() {
        String valid = SignedTenantHeader.sign(CellRoleProfile.TENANT_HEADER_SECRET, b.tenantId(), Instant.now());
        given().header(SignedTenantHeader.NAME, valid).get("/api/storefront/shop").then().statusCode(200)
                .body("handle", equalTo(b.handle()));
        String forged = SignedTenantHeader.sign("not-the-secret", b.tenantId(), Instant.now());
        given().header("Host", b.host()).header(SignedTenantHeader.NAME, forged).get("/api/storefront/shop").then()
                .statusCode(401).contentType(Problem.MEDIA_TYPE);
        String stale = SignedTenantHeader.sign(CellRoleProfile.TENANT_HEADER_SECRET, b.tenantId(), Instant.now().minusSeconds(600));
        given().header(SignedTenantHeader.NAME, stale).get("/api/storefront/shop").then().statusCode(401);
        given().header(SignedTenantHeader.NAME, b.tenantId().toString()).get("/api/storefront/shop").then().statusCode(401);
        String otherTenant = SignedTenantHeader.sign(CellRoleProfile.TENANT_HEADER_SECRET, UUID.randomUUID(), Instant.now());
        given().header(SignedTenantHeader.NAME, otherTenant).get("/api/storefront/shop").then().statusCode(404);
    }

    @Test
    void staffSignInIssuesTokensAndLocksOutAfterRepeatedFailures() {
        String token = Shops.ownerToken(a);
        assertTrue(token.startsWith("sfa_"));
        // a's credentials on b's host: unknown there
        given().header("Host", b.host()).contentType(ContentType.JSON)
                .body(Map.of("email", a.ownerEmail(), "password", a.ownerPassword()))
                .post("/api/admin/tokens").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().header("Host", a.host()).contentType(ContentType.JSON)
                .body(Map.of("email", "not-an-email", "password", "x"))
                .post("/api/admin/tokens").then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("email"));
        Shop c = Shops.create("cell1", "gamma");
        for (int i = 0; i < 5; i++) {
            given().header("Host", c.host()).contentType(ContentType.JSON)
                    .body(Map.of("email", c.ownerEmail(), "password", "wrong " + i))
                    .post("/api/admin/tokens").then().statusCode(401);
        }
        given().header("Host", c.host()).contentType(ContentType.JSON)
                .body(Map.of("email", c.ownerEmail(), "password", c.ownerPassword()))
                .post("/api/admin/tokens").then().statusCode(429).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void rowLevelSecurityAdmitsOnlyTheTenantOfTheTransaction() throws Exception {
        try (Connection app = Infra.app(Infra.TEST_CELL_DB)) {
            app.setAutoCommit(false);
            assertEquals(0, count(app, "select count(*) from tenancy_staff"), "no tenant set: no rows");
            setTenant(app, a.tenantId());
            List<String> tenantsSeen = new ArrayList<>();
            try (Statement s = app.createStatement(); ResultSet rows = s.executeQuery("select distinct tenant_id::text from tenancy_staff")) {
                while (rows.next()) {
                    tenantsSeen.add(rows.getString(1));
                }
            }
            assertEquals(List.of(a.tenantId().toString()), tenantsSeen);
            assertEquals(0, count(app, "select count(*) from tenancy_staff where tenant_id = '" + b.tenantId() + "'"));
            // directly on the partitions as well
            assertEquals(0, count(app, "select count(*) from tenancy_staff_p0 where tenant_id <> '" + a.tenantId() + "'"));
            // and it cannot write rows of another tenant
            try (Statement s = app.createStatement()) {
                s.execute("savepoint before_write");
                boolean rejected = false;
                try {
                    s.executeUpdate("insert into tenancy_staff (tenant_id, staff_id, email, name, password_hash, role)"
                            + " values ('" + b.tenantId() + "', gen_random_uuid(), 'x@y.z', 'x', 'x', 'staff')");
                } catch (java.sql.SQLException e) {
                    rejected = e.getMessage().contains("row-level security");
                    s.execute("rollback to savepoint before_write");
                }
                assertTrue(rejected, "writing another tenant's row is refused");
            }
            app.rollback();
            assertEquals(0, count(app, "select count(*) from tenancy_staff"), "the setting ends with the transaction");
            app.rollback();
        }
    }

    private static void setTenant(Connection connection, UUID tenant) throws Exception {
        try (PreparedStatement s = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
            s.setString(1, tenant.toString());
            s.execute();
        }
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
