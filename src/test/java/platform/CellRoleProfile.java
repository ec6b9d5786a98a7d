package platform;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import testsupport.Infra;

/**
 * A cell node ({@code STOREFRONT_ROLE=cell}, {@code CELL_ID=cell1}) on the test cell database, with
 * heartbeats every second, the outbox clean-up and the cart retention every second, an operator token set (to show
 * that even a valid operator credential finds no control-plane endpoint on a cell), and a sign-in
 * limit per client address of {@value #SIGN_IN_SOURCE_LIMIT} a minute, {@value #SIGN_IN_SOURCE_BURST}
 * at once: every test signs in from loopback, more often than the production default (10 a minute,
 * 20 at once) admits from one address. The limit per account and address keeps its default.
 * Storefront reads may run and wait for locks {@value #BROWSE_TIMEOUT} (production: 2 s and 1 s), as
 * long as {@code DB_STATEMENT_TIMEOUT} here: tests hold table locks while they watch reads wait, on a
 * machine shared with other work.
 */
public class CellRoleProfile implements QuarkusTestProfile {

    /** The secret shared with gateways for signed tenant headers. */
    public static final String TENANT_HEADER_SECRET = "test-tenant-header-secret";
    /** Sign-in attempts per minute from one client address. */
    public static final int SIGN_IN_SOURCE_LIMIT = 120;
    /** Sign-in attempts at once from one client address. */
    public static final int SIGN_IN_SOURCE_BURST = 60;
    /** Statement and lock timeout of storefront reads. */
    public static final String BROWSE_TIMEOUT = "5s";
    /** Where the node keeps shops' export archives (an import reads them from there too). */
    public static final java.nio.file.Path ARCHIVES = Infra.repo().resolve("target/archives");

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(Infra.servers());
        config.putAll(testsupport.Management.randomPort());
        config.putAll(Map.of(
                "storefront.role", "cell",
                "CELL_ID", "cell1",
                "DB_URL", Infra.PG_URL_PREFIX + Infra.TEST_CELL_DB,
                "DB_STATEMENT_TIMEOUT", "5s",
                "HEARTBEAT_INTERVAL", "1s",
                "OPERATOR_TOKEN", ControlRoleProfile.OPERATOR_TOKEN,
                "TENANT_HEADER_SECRET", TENANT_HEADER_SECRET));
        config.put("OUTBOX_CLEANUP_EVERY", "1s");
        config.put("CART_CLEANUP_EVERY", "1s");
        config.put("RETENTION_EVERY", "1s");
        config.put("LIFECYCLE_ARCHIVE_DIR", ARCHIVES.toString());
        config.put("SIGN_IN_SOURCE_LIMIT", String.valueOf(SIGN_IN_SOURCE_LIMIT));
        config.put("SIGN_IN_SOURCE_BURST", String.valueOf(SIGN_IN_SOURCE_BURST));
        config.put("CELL_BULKHEAD_BROWSE_STATEMENT_TIMEOUT", BROWSE_TIMEOUT);
        config.put("CELL_BULKHEAD_BROWSE_LOCK_TIMEOUT", BROWSE_TIMEOUT);
        return config;
    }
}
