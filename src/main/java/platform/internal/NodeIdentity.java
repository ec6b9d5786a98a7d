package platform.internal;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import platform.NodeId;
import platform.NodeRole;
import platform.StorefrontConfig;

/** Validates the node's identity first thing at startup and says what this node is. */
@Singleton
class NodeIdentity {

    private static final Logger LOG = Logger.getLogger(NodeIdentity.class);

    void validate(@Observes @Priority(1) StartupEvent event, StorefrontConfig config) {
        NodeRole role = config.role();
        try {
            config.platform();
            new NodeId(config.nodeId());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        if (role == NodeRole.CELL) {
            try {
                config.cell();
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            }
        }
        LOG.infof("Starting as %s node%s of platform %s", role.value(),
                role == NodeRole.CELL ? " of cell " + config.cell() : "", config.platformId());
    }
}
