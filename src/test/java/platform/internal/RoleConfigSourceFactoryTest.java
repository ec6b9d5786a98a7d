package platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.NodeRole;
import platform.PlatformId;
import tenancy.ProvisionTenant;
import tenancy.TenantProvisioned;
import tenancy.TenantRoute;

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
        // its only channels: the catalogue events that purge its edge cache, the cells' heartbeats for their saturation
        assertEquals("true", switches.get("mp.messaging.incoming.gateway-catalog-events.enabled"));
        assertEquals("true", switches.get("mp.messaging.incoming.gateway-heartbeats.enabled"));
        assertEquals("false", RoleConfigSourceFactory.switchesFor(NodeRole.CELL).get("mp.messaging.incoming.gateway-heartbeats.enabled"));
        assertEquals("false", RoleConfigSourceFactory.switchesFor(NodeRole.CONTROL).get("mp.messaging.incoming.gateway-heartbeats.enabled"));
        assertEquals("false", RoleConfigSourceFactory.switchesFor(NodeRole.CELL).get("mp.messaging.incoming.gateway-catalog-events.enabled"));
        assertEquals("false", RoleConfigSourceFactory.switchesFor(NodeRole.CONTROL).get("mp.messaging.incoming.gateway-catalog-events.enabled"));
        switches.forEach((key, value) -> {
            if (!key.equals("storefront.serves.gateway") && !key.equals("mp.messaging.incoming.gateway-catalog-events.enabled")
                    && !key.equals("mp.messaging.incoming.gateway-heartbeats.enabled")) {
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

    @Test
    void topicsAndGroupsCarryThePlatformId() {
        Map<String, String> names = RoleConfigSourceFactory.kafkaNamesFor("eu-2", "cell7", "b");
        assertEquals("eu-2", names.get("storefront.platform-id"));
        assertEquals("eu-2." + ProvisionTenant.topicFor("cell7"), names.get("mp.messaging.incoming.tenancy-commands.topic"),
                "a cell reads only the commands addressed to it");
        assertEquals("eu-2." + TenantProvisioned.TOPIC, names.get("mp.messaging.incoming.controlplane-tenancy-events.topic"));
        assertEquals("eu-2.tenancy.cell-heartbeats", names.get("mp.messaging.outgoing.tenancy-heartbeats.topic"));
        assertEquals("eu-2.tenancy.cell-heartbeats", names.get("mp.messaging.incoming.controlplane-heartbeats.topic"));
        assertEquals("eu-2-cell-cell7", names.get("mp.messaging.incoming.tenancy-commands.group.id"));
        assertEquals("eu-2-control-provisioning", names.get("mp.messaging.incoming.controlplane-tenancy-events.group.id"));
        assertEquals("eu-2." + catalog.ProductChanged.TOPIC, names.get("mp.messaging.incoming.gateway-catalog-events.topic"));
        assertEquals("eu-2.tenancy.cell-heartbeats", names.get("mp.messaging.incoming.gateway-heartbeats.topic"));
        // every gateway process reads every heartbeat in a group of its own
        assertEquals("eu-2-gateway-heartbeats-${quarkus.uuid}", names.get("mp.messaging.incoming.gateway-heartbeats.group.id"));
        // every gateway process reads every catalogue event in a group of its own
        assertEquals("eu-2-gateway-edge-purges-${quarkus.uuid}", names.get("mp.messaging.incoming.gateway-catalog-events.group.id"));
        names.forEach((key, value) -> {
            if (key.startsWith("mp.messaging.")) {
                assertTrue(value.startsWith("eu-2.") || value.startsWith("eu-2-"), key + "=" + value);
            }
        });
    }

    @Test
    void theDefaultPlatformKeepsTheNamesOfBefore() {
        Map<String, String> names = RoleConfigSourceFactory.kafkaNamesFor(null, "cell1", null);
        assertEquals("storefront", names.get("storefront.platform-id"));
        assertEquals("storefront.tenancy.commands-cell1", names.get("mp.messaging.incoming.tenancy-commands.topic"));
        assertEquals("storefront-cell-cell1", names.get("mp.messaging.incoming.tenancy-commands.group.id"));
        assertEquals("storefront-control-provisioning", names.get("mp.messaging.incoming.controlplane-tenancy-events.group.id"));
    }

    @Test
    void heartbeatsNeedNoDeadPredecessorAndSharedWorkIsStatic() {
        Map<String, String> names = RoleConfigSourceFactory.kafkaNamesFor("p", "cell1", "2");
        // every control process reads every heartbeat in a group of its own
        assertEquals("p-control-heartbeats-${quarkus.uuid}", names.get("mp.messaging.incoming.controlplane-heartbeats.group.id"));
        // consumers that share work are static members named by cell and node: a restarted node takes over at once
        assertEquals("p-cell-cell1-commands-2", names.get("mp.messaging.incoming.tenancy-commands.group.instance.id"));
        assertEquals("p-control-provisioning-2", names.get("mp.messaging.incoming.controlplane-tenancy-events.group.instance.id"));
        assertEquals("p-control-provisioning-1", RoleConfigSourceFactory.kafkaNamesFor("p", null, null)
                .get("mp.messaging.incoming.controlplane-tenancy-events.group.instance.id"));
    }

    @Test
    void topicsOfThePlatformApi() {
        PlatformId platform = new PlatformId("x1");
        assertEquals("x1.tenancy.commands-cell2", platform.topic(ProvisionTenant.topicFor("cell2")));
        assertEquals("x1.controlplane.routes", platform.topic(TenantRoute.TOPIC));
        assertEquals("storefront.catalog.events", platform.topic("storefront.catalog.events"), "already qualified");
        assertEquals("x1-outbox-cell1", platform.prefixed("outbox-cell1"));
    }
}
