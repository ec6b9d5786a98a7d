package platform.internal;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import platform.CellId;
import platform.NodeId;
import platform.NodeRole;
import platform.PlatformId;

/**
 * Entry point of the artifact. Checks the startup flags before anything else starts, so that a
 * node started with a missing or wrong role, cell, node or platform id stops at once with one clear line.
 */
@QuarkusMain
public class StorefrontMain {

    public static void main(String... args) {
        Optional<String> problem = checkFlags(System.getenv(), System.getProperties());
        if (problem.isPresent()) {
            System.err.println("storefront: cannot start: " + problem.get());
            System.exit(2);
        }
        Quarkus.run(args);
    }

    /** The startup flags' problem, if any; system properties win over environment variables. */
    static Optional<String> checkFlags(Map<String, String> env, Properties props) {
        String rawRole = props.getProperty(NodeRole.PROPERTY, env.get(NodeRole.VARIABLE));
        try {
            NodeRole role = NodeRole.parse(rawRole);
            PlatformId.of(props.getProperty(PlatformId.VARIABLE, env.get(PlatformId.VARIABLE)));
            NodeId.of(props.getProperty(NodeId.VARIABLE, env.get(NodeId.VARIABLE)));
            if (role == NodeRole.CELL) {
                String cell = props.getProperty("storefront.cell-id",
                        props.getProperty(CellId.VARIABLE, env.get(CellId.VARIABLE)));
                new CellId(cell);
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
