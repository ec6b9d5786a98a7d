package controlplane.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** Configuration of the control plane (read by every role, used by the control node only). */
@ConfigMapping(prefix = "controlplane")
public interface ControlplaneConfig {

    /** The compacted route topic ({@code <platform>.controlplane.routes}) that the control node creates and checks at startup. */
    RouteTopic routeTopic();

    /**
     * How the route topic is created when it does not exist yet. At every start the control node checks the existing
     * topic against these settings and refuses to start on one that would lose routes (not compacted, fewer replicas).
     * The defaults fit the single-broker local setup; a production cluster wants 3 replicas and 2 in sync.
     */
    interface RouteTopic {

        /**
         * Partitions of the topic when the control node creates it ({@code ROUTE_TOPIC_PARTITIONS}). An existing topic
         * with another number is used as it is (with a warning): adding partitions to a keyed, compacted topic later
         * moves hosts to other partitions, so choose it once.
         */
        @WithDefault("3")
        @Min(1)
        int partitions();

        /**
         * Replicas of every partition ({@code ROUTE_TOPIC_REPLICATION_FACTOR}); an existing topic must have exactly
         * this many, or the control node does not start.
         */
        @WithDefault("1")
        @Min(1)
        short replicationFactor();

        /**
         * Replicas that must have a route before the broker acknowledges it ({@code ROUTE_TOPIC_MIN_INSYNC_REPLICAS}, at
         * most the replication factor); an existing topic must require at least this many, or the control node does
         * not start.
         */
        @WithDefault("1")
        @Min(1)
        int minInsyncReplicas();
    }
}
