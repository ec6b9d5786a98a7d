package platform.internal;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;
import platform.CellId;
import platform.NodeId;
import platform.NodeRole;
import platform.PlatformId;

/**
 * Turns the one startup flag ({@code STOREFRONT_ROLE}) into the per-mechanism runtime switches of
 * that role: which datasource and persistence unit are active, which Kafka channels are enabled,
 * which endpoints are served. Keeping this derivation in one place means operators set exactly one
 * variable and can never enable half a role. It also derives every Kafka topic and consumer group
 * name from {@code PLATFORM_ID} (and {@code CELL_ID}, {@code NODE_ID}), which environment variables
 * cannot express for channel names safely.
 *
 * <p>Ordinal 275: above {@code application.properties} (250), whose defaults keep everything off,
 * below environment variables (300), so an operator can still override a single switch.
 * {@code @StaticInitSafe}: the switches depend only on the role, so they are also in force while
 * Quarkus sets up REST endpoints at static initialisation (where {@code @EndpointDisabled} is read).
 */
@StaticInitSafe
public final class RoleConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> derived = new HashMap<>(kafkaNamesFor(value(context, PlatformId.VARIABLE),
                value(context, CellId.VARIABLE), value(context, NodeId.VARIABLE)));
        ConfigValue raw = context.getValue(NodeRole.PROPERTY);
        if (raw != null && raw.getValue() != null) {
            try {
                derived.putAll(switchesFor(NodeRole.parse(raw.getValue())));
            } catch (IllegalArgumentException unknown) {
                // Left to the configuration mapping, which fails startup with the same message.
            }
        }
        return List.of(new PropertiesConfigSource(derived, "storefront-role-switches", ORDINAL));
    }

    private static String value(ConfigSourceContext context, String variable) {
        ConfigValue value = context.getValue(variable);
        return value == null ? null : value.getValue();
    }

    /**
     * The Kafka names of this node, derived from the platform id ({@code PLATFORM_ID}), the cell id and
     * the node id, so that two platforms on one Kafka cluster never share a topic or a consumer group:
     * topics {@code <platform>.<module>.<event>}, group ids {@code <platform>-...}.
     *
     * <p>Consumers where every node reads everything (the control plane's heartbeats, the gateways'
     * catalogue events that purge their edge caches and the gateways' heartbeats that tell the cells'
     * saturation) join a group of
     * their own per process and start at the end: a restarted node reads at once, without waiting for
     * its dead predecessor's session to time out, and needs no committed position (a heartbeat is only
     * worth its latest value). Consumers that share work between the nodes of a cell (its commands)
     * or of the control plane (provisioning acknowledgements) keep their
     * group and committed position but are static members ({@code group.instance.id} from the cell and
     * node id), so that a node restarted after a crash takes its partitions back at once.
     *
     * <p>An invalid platform or node id is refused at startup ({@link StorefrontMain}, {@link NodeIdentity});
     * the names are derived from the raw value meanwhile, never from a default that would join another platform.
     */
    static Map<String, String> kafkaNamesFor(String platformId, String cellId, String nodeId) {
        String platform = platformId == null || platformId.isBlank() ? PlatformId.DEFAULT : platformId;
        String cell = cellId == null || cellId.isBlank() ? "none" : cellId;
        String node = nodeId == null || nodeId.isBlank() ? NodeId.DEFAULT : nodeId;
        String heartbeats = platform + ".tenancy.cell-heartbeats";
        return Map.ofEntries(
                Map.entry(PlatformId.PROPERTY, platform),
                Map.entry("storefront.node-id", node),
                Map.entry("mp.messaging.outgoing.tenancy-heartbeats.topic", heartbeats),
                Map.entry("mp.messaging.incoming.controlplane-heartbeats.topic", heartbeats),
                Map.entry("mp.messaging.incoming.controlplane-heartbeats.group.id",
                        platform + "-control-heartbeats-${quarkus.uuid}"),
                Map.entry("mp.messaging.incoming.gateway-heartbeats.topic", heartbeats),
                Map.entry("mp.messaging.incoming.gateway-heartbeats.group.id",
                        platform + "-gateway-heartbeats-${quarkus.uuid}"),
                Map.entry("mp.messaging.incoming.gateway-catalog-events.topic", platform + ".catalog.events"),
                Map.entry("mp.messaging.incoming.gateway-catalog-events.group.id",
                        platform + "-gateway-edge-purges-${quarkus.uuid}"),
                Map.entry("mp.messaging.incoming.tenancy-commands.topic", platform + ".tenancy.commands-" + cell),
                Map.entry("mp.messaging.incoming.tenancy-commands.group.id", platform + "-cell-" + cell),
                Map.entry("mp.messaging.incoming.tenancy-commands.group.instance.id",
                        platform + "-cell-" + cell + "-commands-" + node),
                Map.entry("mp.messaging.incoming.controlplane-tenancy-events.topic", platform + ".tenancy.events"),
                Map.entry("mp.messaging.incoming.controlplane-tenancy-events.group.id", platform + "-control-provisioning"),
                Map.entry("mp.messaging.incoming.controlplane-tenancy-events.group.instance.id",
                        platform + "-control-provisioning-" + node));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The runtime switches of a role; every switch is listed for every role, so none is left implicit. */
    static Map<String, String> switchesFor(NodeRole role) {
        boolean cell = role == NodeRole.CELL;
        boolean control = role == NodeRole.CONTROL;
        boolean gateway = role == NodeRole.GATEWAY;
        return Map.ofEntries(
                // which roles' endpoints, schedulers and routes this node serves (see RoleGate)
                Map.entry("storefront.serves.cell", String.valueOf(cell)),
                Map.entry("storefront.serves.control", String.valueOf(control)),
                Map.entry("storefront.serves.gateway", String.valueOf(gateway)),
                // databases: a node opens at most its own
                Map.entry("quarkus.datasource.\"cell\".active", String.valueOf(cell)),
                Map.entry("quarkus.hibernate-orm.\"cell\".active", String.valueOf(cell)),
                Map.entry("quarkus.datasource.\"control\".active", String.valueOf(control)),
                Map.entry("quarkus.hibernate-orm.\"control\".active", String.valueOf(control)),
                // Kafka channels
                Map.entry("mp.messaging.outgoing.tenancy-heartbeats.enabled", String.valueOf(cell)),
                Map.entry("mp.messaging.incoming.tenancy-commands.enabled", String.valueOf(cell)),
                Map.entry("mp.messaging.incoming.controlplane-heartbeats.enabled", String.valueOf(control)),
                Map.entry("mp.messaging.incoming.gateway-catalog-events.enabled", String.valueOf(gateway)),
                Map.entry("mp.messaging.incoming.gateway-heartbeats.enabled", String.valueOf(gateway)),
                Map.entry("mp.messaging.incoming.controlplane-tenancy-events.enabled", String.valueOf(control)));
    }
}
