package platform.internal.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.StorefrontConfig;

/**
 * Relays the node's outbox (in a cell's database, or the control database) to Kafka: after each commit that recorded events, and
 * at least every {@link #IDLE_POLL}, it takes the oldest unpublished events (across tenants, locked
 * so that several nodes of one cell never send the same batch at once), sends them with an
 * idempotent producer, waits for the broker's acknowledgement and only then marks them published.
 * If Kafka is down nothing is marked, and the relay retries with back-off: after a crash or an
 * outage it resumes with the first unpublished event.
 *
 * <p>Each batch is one Kafka transaction (transactional id {@code <platform>-outbox-<cell>}, which
 * also fences a second relay of the same cell): a batch interrupted by a broker outage is aborted
 * and sent again whole, so read-committed consumers see every event once. (Only a crash between the
 * Kafka commit and the database commit can repeat a batch; consumers de-duplicate by event id.)
 */
@Singleton
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final Duration IDLE_POLL = Duration.ofMillis(500);
    static final int BATCH = 500;

    @Inject StorefrontConfig config;
    @Inject @DataSource("cell") Instance<AgroalDataSource> cellDataSource;
    @Inject @DataSource("control") Instance<AgroalDataSource> controlDataSource;
    @Inject TransactionSynchronizationRegistry transactions;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, String> producer;

    void start(@Observes StartupEvent event) {
        if (config.role() == NodeRole.GATEWAY) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    private KafkaProducer<String, String> producer() {
        if (producer != null) {
            return producer;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        KafkaProducer<String, String> created = new KafkaProducer<>(props);
        try {
            created.initTransactions();
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
        producer = created;
        return producer;
    }

    /** {@code <platform>-outbox-<cell or role>}: shared by the nodes of one cell, never by two platforms. */
    private String transactionalId() {
        return config.platform().prefixed("outbox-" + config.cellId().orElse(config.role().value()));
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
        }
    }

    /** Called inside a transaction that recorded events: relay right after it commits. */
    void wakeUpAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    wakeUp.release();
                }
            }
        });
    }

    private void loop() {
        long backoffMs = 0;
        while (running) {
            try {
                if (backoffMs > 0) {
                    Thread.sleep(backoffMs);
                } else {
                    wakeUp.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
                wakeUp.drainPermits();
                while (running && relayBatch() == BATCH) {
                    // a full batch: more may be waiting
                }
                backoffMs = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                backoffMs = Math.min(5_000, Math.max(200, backoffMs * 2));
                LOG.warnf("Outbox relay paused for %d ms: %s", backoffMs, rootMessage(e));
            }
        }
    }

    /** Sends one batch and marks it published; returns how many events it relayed. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().timeout(30).call(() -> {
            AgroalDataSource dataSource = config.role() == NodeRole.CONTROL ? controlDataSource.get() : cellDataSource.get();
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement relayMode = connection.prepareStatement(
                        "select set_config('app.outbox_relay', 'on', true)")) {
                    relayMode.execute();
                }
                List<String[]> events = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "select tenant_id::text, event_id::text, topic, event_key, event_type, payload::text"
                                + " from platform_outbox where published_at is null order by seq limit " + BATCH
                                + " for update skip locked");
                     ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6)});
                    }
                }
                if (events.isEmpty()) {
                    return 0;
                }
                publish(events);
                try (PreparedStatement mark = connection.prepareStatement(
                        "update platform_outbox set published_at = now() where tenant_id = ?::uuid and event_id = ?::uuid")) {
                    for (String[] e : events) {
                        mark.setString(1, e[0]);
                        mark.setString(2, e[1]);
                        mark.addBatch();
                    }
                    mark.executeBatch();
                }
                return events.size();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Sends the events in one Kafka transaction; on any failure it is aborted and the producer renewed. */
    private void publish(List<String[]> events) throws Exception {
        KafkaProducer<String, String> kafka = producer();
        try {
            kafka.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
            for (String[] e : events) {
                ProducerRecord<String, String> record = new ProducerRecord<>(e[2], e[3], e[5]);
                record.headers().add("event-id", e[1].getBytes(StandardCharsets.UTF_8));
                record.headers().add("event-type", e[4].getBytes(StandardCharsets.UTF_8));
                record.headers().add("tenant-id", e[0].getBytes(StandardCharsets.UTF_8));
                sent.add(kafka.send(record));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(15, TimeUnit.SECONDS);
            }
            kafka.commitTransaction();
        } catch (Exception e) {
            try {
                kafka.abortTransaction();
            } catch (RuntimeException ignored) {
                // the producer is replaced below; an open transaction times out on the broker
            }
            discardProducer();
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
