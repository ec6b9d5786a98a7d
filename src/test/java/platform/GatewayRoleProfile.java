package platform;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import testsupport.Infra;

/** A gateway ({@code STOREFRONT_ROLE=gateway}), with an operator token set to show it serves no operator API. */
public class GatewayRoleProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(Infra.servers());
        config.putAll(testsupport.Management.randomPort());
        config.putAll(Map.of(
                "storefront.role", "gateway",
                "ROUTE_SNAPSHOT", "target/gateway-routes.json",
                "OPERATOR_TOKEN", ControlRoleProfile.OPERATOR_TOKEN));
        return config;
    }
}
