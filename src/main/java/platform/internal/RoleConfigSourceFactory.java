package platform.internal;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;
import platform.NodeRole;

/**
 * Turns the one startup flag ({@code STOREFRONT_ROLE}) into the per-mechanism runtime switches of
 * that role: which datasource and persistence unit are active, which Kafka channels are enabled,
 * which endpoints are served. Keeping this derivation in one place means operators set exactly one
 * variable and can never enable half a role.
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
        ConfigValue raw = context.getValue(NodeRole.PROPERTY);
        if (raw == null || raw.getValue() == null) {
            return List.of();
        }
        NodeRole role;
        try {
            role = NodeRole.parse(raw.getValue());
        } catch (IllegalArgumentException unknown) {
            // Left to the configuration mapping, which fails startup with the same message.
            return List.of();
        }
        return List.of(new PropertiesConfigSource(switchesFor(role), "storefront-role-switches", ORDINAL));
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
                Map.entry("mp.messaging.incoming.orders-events-in.enabled", String.valueOf(cell)),
                Map.entry("mp.messaging.incoming.controlplane-heartbeats.enabled", String.valueOf(control)),
                Map.entry("mp.messaging.incoming.controlplane-tenancy-events.enabled", String.valueOf(control)));
    }
}
