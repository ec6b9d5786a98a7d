package controlplane.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import controlplane.internal.ControlplaneConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** What the control node accepts as its route topic. */
class RouteTopicTest {

    static final String TOPIC = "storefront.controlplane.routes";

    record Wanted(int partitions, short replicationFactor, int minInsyncReplicas) implements ControlplaneConfig.RouteTopic {}

    static final Wanted PRODUCTION = new Wanted(3, (short) 3, 2);

    @Test
    void aCompactedTopicWithTheConfiguredReplicasIsAccepted() {
        assertEquals(Optional.empty(), RouteTopic.problem(TOPIC, PRODUCTION, new RouteTopic.Found("compact", List.of(3, 3, 3), 2)));
        // more in-sync replicas than asked for are fine, and so is another number of partitions
        assertEquals(Optional.empty(), RouteTopic.problem(TOPIC, PRODUCTION, new RouteTopic.Found("compact", List.of(3), 3)));
    }

    @Test
    void aTopicThatDeletesOldRecordsIsRefused() {
        for (String policy : List.of("delete", "compact,delete", "delete, compact")) {
            String problem = RouteTopic.problem(TOPIC, PRODUCTION, new RouteTopic.Found(policy, List.of(3, 3, 3), 2)).orElseThrow();
            assertTrue(problem.startsWith("The route topic " + TOPIC + " has cleanup.policy=" + policy.replace(" ", "") + ", not compact"),
                    problem);
        }
    }

    @Test
    void anotherReplicationFactorIsRefused() {
        String problem = RouteTopic.problem(TOPIC, PRODUCTION, new RouteTopic.Found("compact", List.of(3, 1, 3), 2)).orElseThrow();
        assertTrue(problem.contains("has a replication factor of 1 but ROUTE_TOPIC_REPLICATION_FACTOR=3"), problem);
    }

    @Test
    void fewerInSyncReplicasThanConfiguredAreRefused() {
        String problem = RouteTopic.problem(TOPIC, PRODUCTION, new RouteTopic.Found("compact", List.of(3, 3, 3), 1)).orElseThrow();
        assertTrue(problem.contains("has min.insync.replicas=1 but ROUTE_TOPIC_MIN_INSYNC_REPLICAS=2"), problem);
    }

    @Test
    void aTopicJustCreatedIsDescribedOnceTheBrokerKnowsIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String answer = RouteTopic.onceKnown(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new ExecutionException(new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
            }
            return "described";
        }, System.nanoTime() + 5_000_000_000L, 1);
        assertEquals("described", answer);
        assertEquals(3, calls.get());
    }

    @Test
    void otherFailuresAndAnUnknownTopicPastTheDeadlineAreNotAskedAgain() {
        AtomicInteger calls = new AtomicInteger();
        ExecutionException other = assertThrows(ExecutionException.class, () -> RouteTopic.onceKnown(() -> {
            calls.incrementAndGet();
            throw new ExecutionException(new TopicAuthorizationException("denied"));
        }, System.nanoTime() + 5_000_000_000L, 1));
        assertTrue(other.getCause() instanceof TopicAuthorizationException);
        assertEquals(1, calls.get());

        calls.set(0);
        ExecutionException unknown = assertThrows(ExecutionException.class, () -> RouteTopic.onceKnown(() -> {
            calls.incrementAndGet();
            throw new ExecutionException(new UnknownTopicOrPartitionException("unknown"));
        }, System.nanoTime() - 1, 1));
        assertTrue(unknown.getCause() instanceof UnknownTopicOrPartitionException);
        assertEquals(1, calls.get());
    }
}
