package platform;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import testsupport.Infra;

/**
 * The control node ({@code STOREFRONT_ROLE=control}) on the test control database, with a known
 * operator token and the outbox clean-up every second.
 */
public class ControlRoleProfile implements QuarkusTestProfile {

    /** The operator credential the tests present. */
    public static final String OPERATOR_TOKEN = testsupport.Operator.TOKEN;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(Infra.servers());
        config.putAll(testsupport.Management.randomPort());
        config.putAll(Map.of(
                "storefront.role", "control",
                "DB_URL", Infra.PG_URL_PREFIX + Infra.TEST_CONTROL_DB,
                "HEARTBEAT_INTERVAL", "1s",
                "OPERATOR_TOKEN", OPERATOR_TOKEN));
        config.put("OUTBOX_CLEANUP_EVERY", "1s");
        return config;
    }
}
