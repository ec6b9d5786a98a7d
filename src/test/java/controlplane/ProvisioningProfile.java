package controlplane;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;
import platform.ControlRoleProfile;

/**
 * The control node of the provisioning tests: like {@link ControlRoleProfile}, but a cell counts as
 * healthy for 15 s after its last heartbeat, so that a test can stop a cell and still have tenants
 * placed on it.
 */
public class ProvisioningProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new ControlRoleProfile().getConfigOverrides());
        config.put("HEARTBEAT_INTERVAL", "5s");
        return config;
    }
}
