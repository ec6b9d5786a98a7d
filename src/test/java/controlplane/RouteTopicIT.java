package controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import platform.PlatformId;
import tenancy.TenantRoute;
import testsupport.Infra;
import testsupport.Node;

/**
 * The control node creates the route topic compacted, as configured, and refuses to start on a route
 * topic that would lose routes. Each case runs on a platform of its own ({@code PLATFORM_ID}), so its
 * route topic is its own.
 */
class RouteTopicIT {

    static Admin admin;

    @BeforeAll
    static void admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.KAFKA);
        admin = Admin.create(props);
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static String platform() {
        return "rt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String routeTopic(String platform) {
        return new PlatformId(platform).topic(TenantRoute.TOPIC);
    }

    private static Node control(String platform) {
        return Node.control(5).with("PLATFORM_ID", platform);
    }

    private static void assertNoStackTrace(String output) {
        assertFalse(output.lines().anyMatch(line -> line.startsWith("\tat ")), "no stack trace:\n" + output);
    }

    @Test
    void aMissingTopicIsCreatedCompactedAsConfigured() throws Exception {
        String platform = platform();
        String topic = routeTopic(platform);
        try (Node control = control(platform).with("ROUTE_TOPIC_PARTITIONS", "2").start()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertEquals(2, description.partitions().size());
            assertTrue(description.partitions().stream().allMatch(p -> p.replicas().size() == 1));
            Config config = config(topic);
            assertEquals("compact", config.get("cleanup.policy").value());
            assertEquals("1", config.get("min.insync.replicas").value());
        } finally {
            delete(topic);
        }
    }

    @Test
    void aTopicThatIsNotCompactedStopsTheControlNode() throws Exception {
        String platform = platform();
        String topic = routeTopic(platform);
        // what a broker creates by itself when a producer or consumer names a missing topic
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        try {
            Node.Exit exit = control(platform).startExpectingExit();
            assertEquals(1, exit.code(), exit.output());
            assertTrue(exit.output().contains("The route topic " + topic + " has cleanup.policy=delete, not compact"),
                    exit.output());
            assertNoStackTrace(exit.output());
        } finally {
            delete(topic);
        }
    }

    @Test
    void aCompactedTopicWithTheConfiguredReplicasIsUsedAndAnotherReplicationFactorStopsTheControlNode() throws Exception {
        String platform = platform();
        String topic = routeTopic(platform);
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                .all().get();
        try {
            Node.Exit exit = control(platform).with("ROUTE_TOPIC_REPLICATION_FACTOR", "2").startExpectingExit();
            assertEquals(1, exit.code(), exit.output());
            assertTrue(exit.output().contains("The route topic " + topic
                    + " has a replication factor of 1 but ROUTE_TOPIC_REPLICATION_FACTOR=2"), exit.output());
            assertNoStackTrace(exit.output());

            try (Node control = control(platform).start()) {
                assertEquals("compact", config(topic).get("cleanup.policy").value());
            }
        } finally {
            delete(topic);
        }
    }

    private static Config config(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    private static void delete(String topic) throws Exception {
        try {
            admin.deleteTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }
}
