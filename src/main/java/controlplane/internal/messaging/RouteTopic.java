package controlplane.internal.messaging;

import controlplane.internal.ControlplaneConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.StorefrontConfig;
import tenancy.TenantRoute;

/**
 * The route topic is compacted: the latest route of every host is kept forever, and a gateway that reads it from the
 * beginning knows every route. The control node creates it so at startup (partitions, replication factor and
 * {@code min.insync.replicas} from {@link ControlplaneConfig.RouteTopic}), and checks the topic it finds: a topic that
 * is not compacted (a broker that created it by itself, or an operator), has fewer or more replicas than configured, or
 * acknowledges with fewer in-sync replicas than configured stops the control node with one line that names the topic
 * and the setting to fix; so does a Kafka that does not answer, because routes published on an unchecked topic may be
 * lost. Runs before the outbox relay starts publishing.
 */
@Singleton
class RouteTopic {

    private static final Logger LOG = Logger.getLogger(RouteTopic.class);
    static final int TIMEOUT_SECONDS = 15;
    /** Between two look-ups of a topic the broker does not know yet. */
    static final long RETRY_PAUSE_MILLIS = 100;

    @Inject StorefrontConfig config;
    @Inject ControlplaneConfig controlplane;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** What the control node found: the topic's cleanup policy, replicas per partition and in-sync replicas required. */
    record Found(String cleanupPolicy, List<Integer> replicasPerPartition, int minInsyncReplicas) {}

    void ensure(@Observes @Priority(20) StartupEvent event) {
        if (config.role() != NodeRole.CONTROL) {
            return;
        }
        ControlplaneConfig.RouteTopic wanted = controlplane.routeTopic();
        String topic = config.topic(TenantRoute.TOPIC);
        if (wanted.minInsyncReplicas() > wanted.replicationFactor()) {
            throw new ConfigurationException("ROUTE_TOPIC_MIN_INSYNC_REPLICAS=" + wanted.minInsyncReplicas()
                    + " is more than ROUTE_TOPIC_REPLICATION_FACTOR=" + wanted.replicationFactor()
                    + ": no route could ever be acknowledged on the route topic " + topic);
        }
        Found found;
        try {
            found = createOrDescribe(topic, wanted);
        } catch (ConfigurationException e) {
            throw e;
        } catch (TimeoutException e) {
            throw new ConfigurationException("Cannot check the route topic " + topic + ": Kafka at " + bootstrapServers
                    + " did not answer within " + TIMEOUT_SECONDS + " s (check KAFKA_BOOTSTRAP_SERVERS and that Kafka is running)");
        } catch (Exception e) {
            throw new ConfigurationException("Cannot check the route topic " + topic + " on Kafka at " + bootstrapServers
                    + ": " + rootMessage(e) + " (check KAFKA_BOOTSTRAP_SERVERS and that Kafka is running)");
        }
        Optional<String> problem = problem(topic, wanted, found);
        if (problem.isPresent()) {
            throw new ConfigurationException(problem.get());
        }
        if (found.replicasPerPartition().size() != wanted.partitions()) {
            LOG.warnf("The route topic %s has %d partitions; ROUTE_TOPIC_PARTITIONS=%d applies only to a topic the control"
                    + " node creates", topic, found.replicasPerPartition().size(), wanted.partitions());
        }
        LOG.infof("The route topic %s is compacted, with %d partitions of %d replicas, %d in sync", topic,
                found.replicasPerPartition().size(), wanted.replicationFactor(), found.minInsyncReplicas());
    }

    private Found createOrDescribe(String topic, ControlplaneConfig.RouteTopic wanted) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.platform().prefixed("control-route-topic"));
        try (Admin admin = Admin.create(props)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, wanted.partitions(), wanted.replicationFactor())
                                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0",
                                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(wanted.minInsyncReplicas())))))
                        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.infof("Created the route topic %s", topic);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw new TimeoutException(e.getCause().getMessage());
                }
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new ConfigurationException("Cannot create the route topic " + topic + " with "
                            + wanted.partitions() + " partitions of " + wanted.replicationFactor() + " replicas: "
                            + rootMessage(e) + " (check ROUTE_TOPIC_PARTITIONS and ROUTE_TOPIC_REPLICATION_FACTOR against the"
                            + " Kafka cluster at " + bootstrapServers + ")");
                }
            }
            // a topic just created may not be known yet to the broker that answers: ask again until it is
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            TopicDescription description = onceKnown(() -> admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic), deadline, RETRY_PAUSE_MILLIS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config configs = onceKnown(() -> admin.describeConfigs(List.of(resource)).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource), deadline, RETRY_PAUSE_MILLIS);
            List<Integer> replicas = new ArrayList<>();
            description.partitions().forEach(p -> replicas.add(p.replicas().size()));
            return new Found(value(configs, TopicConfig.CLEANUP_POLICY_CONFIG, "delete"), replicas,
                    Integer.parseInt(value(configs, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1")));
        }
    }

    /**
     * The lookup's answer, asked again every {@code pauseMillis} while it fails because the topic or
     * partition is unknown (as right after the topic was created, before every broker has its metadata),
     * until the deadline ({@link System#nanoTime()}); then, or on any other failure, its failure.
     */
    static <T> T onceKnown(Callable<T> lookup, long deadline, long pauseMillis) throws Exception {
        while (true) {
            try {
                return lookup.call();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                Thread.sleep(pauseMillis);
            }
        }
    }

    private static String value(Config configs, String name, String fallback) {
        ConfigEntry entry = configs.get(name);
        return entry == null || entry.value() == null ? fallback : entry.value();
    }

    /** Why the control node must not run on the topic it found, if it must not. */
    static Optional<String> problem(String topic, ControlplaneConfig.RouteTopic wanted, Found found) {
        String policy = found.cleanupPolicy().replace(" ", "");
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
            return Optional.of("The route topic " + topic + " has cleanup.policy=" + policy + ", not compact: the broker would"
                    + " delete old routes and gateways would lose them. Set cleanup.policy=compact on it (kafka-configs.sh"
                    + " --alter --entity-type topics --entity-name " + topic + " --add-config cleanup.policy=compact),"
                    + " or delete it so that the control node creates it compacted");
        }
        for (int replicas : found.replicasPerPartition()) {
            if (replicas != wanted.replicationFactor()) {
                return Optional.of("The route topic " + topic + " has a replication factor of " + replicas
                        + " but ROUTE_TOPIC_REPLICATION_FACTOR=" + wanted.replicationFactor()
                        + ": reassign its partitions, or set ROUTE_TOPIC_REPLICATION_FACTOR to what the cluster has");
            }
        }
        if (found.minInsyncReplicas() < wanted.minInsyncReplicas()) {
            return Optional.of("The route topic " + topic + " has min.insync.replicas=" + found.minInsyncReplicas()
                    + " but ROUTE_TOPIC_MIN_INSYNC_REPLICAS=" + wanted.minInsyncReplicas() + ": set min.insync.replicas="
                    + wanted.minInsyncReplicas() + " on it (kafka-configs.sh --alter --entity-type topics --entity-name "
                    + topic + " --add-config min.insync.replicas=" + wanted.minInsyncReplicas() + ")");
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
