package gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.StorefrontConfig;
import tenancy.TenantRoute;

/**
 * Keeps the route table current (gateway role only): reads the whole compacted route topic from the
 * beginning without a consumer group (every gateway holds every route), then follows it. Kafka
 * outages only delay updates: the table keeps serving what it has.
 */
@Singleton
class RouteFeed {

    private static final Logger LOG = Logger.getLogger(RouteFeed.class);

    @Inject StorefrontConfig config;
    @Inject RouteTable table;
    @Inject ObjectMapper json;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread worker;

    void start(@Observes @Priority(50) StartupEvent event) {
        if (config.role() != NodeRole.GATEWAY) {
            return;
        }
        table.loadSnapshot();
        running = true;
        worker = Thread.ofPlatform().name("route-feed").daemon().start(this::follow);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (worker != null) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            table.saveSnapshotIfChanged();
        }
    }

    private void follow() {
        while (running) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(properties())) {
                consumer = kafka;
                List<TopicPartition> partitions = List.of();
                while (running && partitions.isEmpty()) {
                    String topic = config.topic(TenantRoute.TOPIC);
                    partitions = kafka.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                }
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = kafka.endOffsets(partitions, Duration.ofSeconds(10));
                boolean caughtUp = false;
                while (running) {
                    for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(200))) {
                        apply(record);
                    }
                    if (!caughtUp && end.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue())) {
                        caughtUp = true;
                        table.markLoaded();
                        LOG.infof("Route table current: %d routes", table.size());
                    }
                    table.saveSnapshotIfDue(System.nanoTime());
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Route feed interrupted (%s); serving the routes it has and retrying", e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            table.apply(new TenantRoute(record.key(), null, null, null, null, "removed", 0, 0));
            return;
        }
        try {
            JsonNode envelope = json.readTree(record.value());
            table.apply(json.treeToValue(envelope.path("data"), TenantRoute.class));
        } catch (Exception e) {
            LOG.warnf("Ignored an unreadable route for %s: %s", record.key(), e.getMessage());
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.platform().prefixed("gateway-routes"));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // the control node creates it compacted
        return props;
    }
}
