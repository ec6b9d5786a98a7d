package platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.Converter;

/** The node's own configuration, common to all modules. */
@ConfigMapping(prefix = "storefront")
public interface StorefrontConfig {

    /** The role of this node ({@code STOREFRONT_ROLE}): cell, control or gateway. Required. */
    @WithConverter(RoleConverter.class)
    NodeRole role();

    /** The cell id ({@code CELL_ID}); required on cell nodes, ignored elsewhere. */
    Optional<String> cellId();

    /** Domain under which every shop gets {@code <handle>.<domain>} ({@code PLATFORM_DOMAIN}). */
    String platformDomain();

    /** Base URL under which this node is reachable by gateways and operators ({@code PUBLIC_URL}). */
    String publicUrl();

    /** How often a cell reports liveness and load to the control plane ({@code HEARTBEAT_INTERVAL}). */
    Duration heartbeatInterval();

    /** Bearer token that operators present to the control plane API ({@code OPERATOR_TOKEN}); unset: no access. */
    Optional<String> operatorToken();

    /**
     * Shared secret with which gateways sign the tenant header of forwarded requests and cells verify
     * it ({@code TENANT_HEADER_SECRET}); unset: cells accept no signed header and resolve by host only.
     */
    Optional<String> tenantHeaderSecret();

    /**
     * File in which a gateway keeps its last known routes, so that it serves them at once after a
     * restart while the control plane is down ({@code ROUTE_SNAPSHOT}).
     */
    String routeSnapshot();

    /**
     * The platform this node belongs to ({@code PLATFORM_ID}, default {@value PlatformId#DEFAULT}): the
     * prefix of its Kafka topics, consumer groups and transactional ids. Set by the application's
     * config source from the variable (see {@link #platform()} for the validated value).
     */
    @WithDefault(PlatformId.DEFAULT)
    String platformId();

    /**
     * This node among the nodes of the same cell (or among control nodes) ({@code NODE_ID}, default
     * {@value NodeId#DEFAULT}): its static Kafka group membership, so that a restarted node takes its
     * partitions back at once. Every node of one cell needs its own; a restarted node keeps its own.
     */
    @WithDefault(NodeId.DEFAULT)
    String nodeId();

    /** The validated platform id. */
    default PlatformId platform() {
        return new PlatformId(platformId());
    }

    /** The Kafka topic of a module's events on this node's platform ({@code <platform>.<module>.<event>}). */
    default String topic(String events) {
        return platform().topic(events);
    }

    /** Clean-up of the outbox of a cell or of the control node. */
    OutboxCleanup outbox();

    /** Which roles' parts this node serves; derived from the role at startup, never set by operators. */
    Serves serves();

    /** Password hashing (staff accounts on cells, shop owners on the control node); see {@link Passwords}. */
    PasswordHashing passwordHashing();

    /** The validated cell id of a cell node. */
    default CellId cell() {
        return new CellId(cellId().orElse(null));
    }

    /**
     * Published outbox rows are kept for a while (for audit and to answer "was it sent?"), then
     * deleted in bounded batches by a scheduled job on every node that has an outbox (cells and the
     * control node). Unpublished rows are never deleted.
     */
    interface OutboxCleanup {
        /** How long a published event stays in the outbox after it was published ({@code OUTBOX_RETENTION}). */
        @WithDefault("24h")
        Duration retention();

        /** How often the clean-up runs ({@code OUTBOX_CLEANUP_EVERY}, a duration such as {@code 5m}). */
        @WithDefault("5m")
        String cleanupEvery();

        /** Rows deleted by one statement (one short transaction). */
        @WithDefault("1000")
        int cleanupBatch();

        /** Statements per run at most; what is left waits for the next run. */
        @WithDefault("50")
        int cleanupMaxBatches();
    }

    /**
     * Argon2id work factors of new password hashes, and how many hashes a node computes at once. A
     * stored hash with a weaker factor (or of the earlier PBKDF2 format) is replaced at the owner's
     * next successful sign-in. The defaults are OWASP's recommended minimum for Argon2id.
     */
    interface PasswordHashing {
        /**
         * Memory of one hash in KiB ({@code PASSWORD_HASH_MEMORY_KIB}, default 19456 = 19 MiB): each
         * hash being computed holds this much heap.
         */
        @WithDefault("19456")
        int memoryKib();

        /** Passes over that memory ({@code PASSWORD_HASH_ITERATIONS}, default 2). */
        @WithDefault("2")
        int iterations();

        /** Lanes ({@code PASSWORD_HASH_PARALLELISM}, default 1; computed one after the other by one thread). */
        @WithDefault("1")
        int parallelism();

        /**
         * Hashes computed at once at most ({@code PASSWORD_HASH_MAX_CONCURRENT}; unset: the number of
         * processors): bounds the CPU and heap that password checks take, whatever the number of
         * requests. Others wait for their turn.
         */
        OptionalInt maxConcurrent();

        /** How long a request waits for its turn before it is answered 503 with {@code Retry-After}. */
        @WithDefault("5s")
        Duration maxWait();

        /** The work factors as a value (validated: fails when out of bounds). */
        default PasswordHashes.Argon2 argon2() {
            return new PasswordHashes.Argon2(memoryKib(), iterations(), parallelism());
        }
    }

    /** Per-role switches (see {@link RoleGate}). */
    interface Serves {
        /** This node serves the cell role's endpoints and jobs. */
        @WithDefault("false")
        boolean cell();

        /** This node serves the control role's endpoints and jobs. */
        @WithDefault("false")
        boolean control();

        /** This node serves the gateway role's routes and jobs. */
        @WithDefault("false")
        boolean gateway();
    }

    /** Converts the role with an error message that names the variable and the allowed values. */
    final class RoleConverter implements Converter<NodeRole> {
        @Override
        public NodeRole convert(String value) {
            return NodeRole.parse(value);
        }
    }
}
