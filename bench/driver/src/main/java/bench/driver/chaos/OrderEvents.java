package bench.driver.chaos;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the orders topic from its beginning for as long as the suite runs, with a plain consumer
 * (partitions assigned, no consumer group: nothing is read twice), committed records only, and counts
 * the {@code OrderPlaced} records per order id (and their distinct event ids).
 */
final class OrderEvents implements AutoCloseable {

    private final String bootstrap;
    private final String topic;
    private final Map<String, Integer> placed = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> eventIds = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile long records;
    private Thread thread;

    OrderEvents(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    void start() {
        thread = Thread.ofPlatform().name("order-events").start(this::consume);
    }

    private void consume() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            while (running && parts.isEmpty()) {
                try {
                    List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos != null) {
                        infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                    }
                } catch (RuntimeException e) {
                    // not there yet, or Kafka not answering: ask again
                }
                if (parts.isEmpty()) {
                    sleep(500); // polling interval until the topic exists
                }
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    records++;
                    tally(r.value());
                }
            }
        }
    }

    private void tally(String value) {
        try {
            JsonObject e = new JsonObject(value);
            if (!"OrderPlaced".equals(e.getString("type"))) {
                return;
            }
            String order = e.getJsonObject("data").getString("orderId");
            placed.merge(order, 1, Integer::sum);
            eventIds.computeIfAbsent(order, k -> ConcurrentHashMap.newKeySet()).add(e.getString("eventId"));
        } catch (RuntimeException ignored) {
            // not an event of the expected shape: not an OrderPlaced
        }
    }

    int count(String orderId) {
        return placed.getOrDefault(orderId, 0);
    }

    int distinctEvents(String orderId) {
        Set<String> s = eventIds.get(orderId);
        return s == null ? 0 : s.size();
    }

    long records() {
        return records;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5_000);
        }
    }
}
