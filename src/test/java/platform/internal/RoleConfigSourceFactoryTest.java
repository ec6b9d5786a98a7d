package platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.NodeRole;

class RoleConfigSourceFactoryTest {

    @Test
    void cellActivatesOnlyCellParts() {
        Map<String, String> switches = RoleConfigSourceFactory.switchesFor(NodeRole.CELL);
        assertEquals("true", switches.get("quarkus.datasource.\"cell\".active"));
        assertEquals("true", switches.get("quarkus.hibernate-orm.\"cell\".active"));
        assertEquals("false", switches.get("quarkus.datasource.\"control\".active"));
        assertEquals("false", switches.get("quarkus.hibernate-orm.\"control\".active"));
        assertEquals("true", switches.get("mp.messaging.outgoing.tenancy-heartbeats.enabled"));
        assertEquals("false", switches.get("mp.messaging.incoming.controlplane-heartbeats.enabled"));
        assertEquals("true", switches.get("storefront.serves.cell"));
        assertEquals("false", switches.get("storefront.serves.control"));
    }

    @Test
    void controlActivatesOnlyControlParts() {
        Map<String, String> switches = RoleConfigSourceFactory.switchesFor(NodeRole.CONTROL);
        assertEquals("false", switches.get("quarkus.datasource.\"cell\".active"));
        assertEquals("true", switches.get("quarkus.datasource.\"control\".active"));
        assertEquals("false", switches.get("mp.messaging.outgoing.tenancy-heartbeats.enabled"));
        assertEquals("true", switches.get("mp.messaging.incoming.controlplane-heartbeats.enabled"));
        assertEquals("true", switches.get("storefront.serves.control"));
    }

    @Test
    void gatewayHasNoDatabaseAndNoCellOrControlChannels() {
        Map<String, String> switches = RoleConfigSourceFactory.switchesFor(NodeRole.GATEWAY);
        switches.forEach((key, value) -> {
            if (!key.equals("storefront.serves.gateway")) {
                assertEquals("false", value, key);
            }
        });
    }

    @Test
    void everyRoleSetsTheSameSwitches() {
        assertEquals(RoleConfigSourceFactory.switchesFor(NodeRole.CELL).keySet(),
                RoleConfigSourceFactory.switchesFor(NodeRole.GATEWAY).keySet());
        assertEquals(RoleConfigSourceFactory.switchesFor(NodeRole.CELL).keySet(),
                RoleConfigSourceFactory.switchesFor(NodeRole.CONTROL).keySet());
    }
}
