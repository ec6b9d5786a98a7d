package testsupport;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import platform.PlatformId;
import platform.SealedBox;

/**
 * A cell's public command key as the control plane learns it: from the cell's latest heartbeat on
 * {@code <platform>.tenancy.cell-heartbeats} (waiting for one if the cell has not reported yet).
 */
public final class CellKeys {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, PublicKey> KNOWN = new ConcurrentHashMap<>();
    private static final int TAIL = 5_000;

    private CellKeys() {}

    /** The command key of a cell of the default platform. */
    public static PublicKey of(String cellId) {
        return of(new PlatformId(PlatformId.DEFAULT), cellId);
    }

    /** The command key of a cell of the given platform. */
    public static PublicKey of(PlatformId platform, String cellId) {
        String topic = platform.topic("tenancy.cell-heartbeats");
        PublicKey known = KNOWN.get(topic + "/" + cellId);
        if (known != null) {
            return known;
        }
        AtomicReference<PublicKey> found = new AtomicReference<>();
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> latest(topic, cellId).map(key -> {
                    found.set(key);
                    return true;
                }).orElse(false));
        KNOWN.put(topic + "/" + cellId, found.get());
        return found.get();
    }

    private static Optional<PublicKey> latest(String topic, String cellId) {
        try (KafkaConsumer<String, String> consumer = TopicRecords.consumer("read_uncommitted")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begins.get(p), ends.get(p) - TAIL));
            }
            Optional<PublicKey> key = Optional.empty();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> heartbeat : consumer.poll(Duration.ofMillis(500))) {
                    if (cellId.equals(heartbeat.key())) {
                        Optional<PublicKey> reported = commandKey(heartbeat.value());
                        if (reported.isPresent()) {
                            key = reported;
                        }
                    }
                }
            }
            return key;
        }
    }

    private static Optional<PublicKey> commandKey(String heartbeat) {
        try {
            JsonNode key = JSON.readTree(heartbeat).get("commandKey");
            return key == null || key.isNull() ? Optional.empty() : SealedBox.publicKey(key.asText());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
