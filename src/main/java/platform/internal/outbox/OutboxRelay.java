package platform.internal.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.WithCaching;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import platform.AfterCommit;
import platform.NodeRole;
import platform.StorefrontConfig;
import platform.bulkhead.TenantBulkhead;
import platform.internal.db.DatabaseBreaker;
import platform.internal.web.DatabaseUnavailable;

/**
 * Relays the node's outbox (in a cell's database, or the control database) to Kafka: after each commit that recorded events, and
 * at least every {@link #IDLE_POLL}, it relays the oldest unpublished events in three steps, and never waits for Kafka while it
 * holds a database transaction, a row lock or a connection:
 *
 * <ol>
 *   <li><b>Claim</b>, in a short transaction that commits at once: the oldest unpublished events get a lease
 *       ({@code claimed_by} = this relay, {@code claimed_until} = now + {@link #LEASE}); rows another transaction holds are
 *       skipped ({@code FOR UPDATE SKIP LOCKED}).</li>
 *   <li><b>Publish</b>, with no transaction or connection of the database open: one Kafka transaction per batch, sent in
 *       the outbox's order, acknowledged by the broker, then committed.</li>
 *   <li><b>Mark published</b>, in a second short transaction: only the rows still leased by this relay.</li>
 * </ol>
 *
 * <p>If Kafka is down or stalls, the Kafka transaction is aborted, the lease is given back and the relay retries with
 * back-off: after a crash or an outage it resumes with the first unpublished event. A lease that is not given back (a
 * crashed node, an unreachable database) expires after {@link #LEASE}, and its rows are claimable again.
 *
 * <p>Order: the relays of one database take turns, so that events leave in the outbox's order, per tenant and per key,
 * as with one relay: a relay claims only while no other relay holds a live lease (checked under a transaction-scoped
 * advisory lock, so two relays never claim at the same moment), and one relay publishes its batches one after the
 * other. Each batch is one Kafka transaction (transactional id {@code <platform>-outbox-<cell>}, shared by the nodes of a
 * cell, which fences a relay that another one has replaced): a batch interrupted by a broker outage is aborted and sent
 * again whole, so read-committed consumers see every event once. An event is sent again only when its lease expired
 * before it was marked (a relay stalled for longer than the lease, or a crash between the Kafka commit and the database
 * commit); consumers de-duplicate by event id (the {@code event-id} header). A relay commits its Kafka transaction
 * only while its lease has at least {@link #LEASE_MARGIN} left, and the lease outlasts the broker's transaction timeout,
 * so a stalled relay whose rows were taken over cannot commit them late.
 */
@Singleton
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final Duration IDLE_POLL = Duration.ofMillis(500);
    /**
     * Batches start at least this far apart: a commit while the relay is idle is relayed at once, but under a stream of
     * commits the relay waits out the rest of this interval and sends what committed meanwhile as one batch (one claim,
     * one Kafka transaction, one mark), so that its cost per event falls as the load rises.
     */
    static final Duration BATCH_PACE = Duration.ofMillis(20);
    static final int BATCH = 500;
    /** How long claimed events stay reserved for the relay that claimed them (longer than {@link #KAFKA_TRANSACTION_TIMEOUT}). */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** A relay commits a Kafka transaction only while its lease has at least this long left. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(15);
    /** The broker aborts a Kafka transaction of the relay that stays open longer than this. */
    static final Duration KAFKA_TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
    /** Key of the transaction-scoped advisory lock under which relays claim, one at a time ("outbox" in ASCII). */
    static final long CLAIM_LOCK = 0x6F7574626F78L;

    /** An event claimed for publication. */
    record ClaimedEvent(long seq, String tenantId, String eventId, String topic, String key, String type, String payload) {}

    @Inject StorefrontConfig config;
    @Inject @WithCaching @DataSource("cell") Instance<AgroalDataSource> cellDataSource;
    @Inject @WithCaching @DataSource("control") Instance<AgroalDataSource> controlDataSource;
    @Inject TransactionSynchronizationRegistry transactions;
    @Inject TenantBulkhead bulkhead;
    @Inject DatabaseBreaker breaker;

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
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(KAFKA_TRANSACTION_TIMEOUT.toMillis()));
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

    /**
     * {@code <platform>-outbox-<cell or role>-<node>}: who holds a lease. Stable across restarts of the node, so that a
     * restarted node takes back at once the rows it had claimed before it stopped.
     */
    String relayId() {
        return transactionalId() + "-" + config.nodeId();
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
        AfterCommit.run(transactions, wakeUp::release);
    }

    private void loop() {
        long backoffMs = 0;
        long lastBatch = System.nanoTime() - BATCH_PACE.toNanos();
        while (running) {
            try {
                if (backoffMs > 0) {
                    Thread.sleep(backoffMs);
                } else {
                    wakeUp.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
                long early = BATCH_PACE.toNanos() - (System.nanoTime() - lastBatch);
                if (early > 0) {
                    TimeUnit.NANOSECONDS.sleep(early); // more commits join this batch meanwhile
                }
                lastBatch = System.nanoTime();
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
                if (DatabaseUnavailable.unreachable(e)) {
                    // the relay polls all the time, so it is often the first to find the database gone: the breaker
                    // then answers shoppers 503 at once instead of letting the next request find out the slow way
                    breaker.databaseUnreachable(DatabaseUnavailable.reason(e).orElse(rootMessage(e)));
                }
            }
        }
    }

    /**
     * Claims a batch, publishes it and marks it published; returns how many events it relayed (0 when there was
     * nothing to relay, or while another relay of the same database is publishing).
     */
    int relayBatch() throws InterruptedException {
        KafkaProducer<String, String> kafka = producer(); // first: no lease is taken while Kafka cannot even be reached
        List<ClaimedEvent> events = claim();
        if (events.isEmpty()) {
            return 0;
        }
        long leaseEnds = System.nanoTime() + LEASE.toNanos();
        try {
            publish(kafka, events, leaseEnds - LEASE_MARGIN.toNanos());
        } catch (InterruptedException | RuntimeException e) {
            release(events);
            throw e;
        }
        markPublished(events);
        return events.size();
    }

    /**
     * Leases the oldest unpublished events to this relay, in a transaction of its own that commits before anything is
     * sent; nothing when another relay holds a live lease (it is publishing older events than those left).
     */
    List<ClaimedEvent> claim() {
        String relay = relayId();
        return inTransaction(connection -> {
            try (PreparedStatement turn = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                turn.setLong(1, CLAIM_LOCK);
                try (ResultSet rows = turn.executeQuery()) {
                    if (!rows.next() || !rows.getBoolean(1)) {
                        return List.of(); // another relay is claiming right now
                    }
                }
            }
            try (PreparedStatement busy = connection.prepareStatement("select exists (select 1 from platform_outbox"
                    + " where published_at is null and claimed_until > now() and claimed_by <> ?)")) {
                busy.setString(1, relay);
                try (ResultSet rows = busy.executeQuery()) {
                    if (rows.next() && rows.getBoolean(1)) {
                        return List.of(); // another relay is publishing: it goes first
                    }
                }
            }
            List<ClaimedEvent> events = new ArrayList<>();
            try (PreparedStatement claim = connection.prepareStatement(
                    "with batch as (select tenant_id, event_id from platform_outbox"
                            + " where published_at is null and (claimed_until is null or claimed_until <= now() or claimed_by = ?)"
                            + " order by seq limit " + BATCH + " for update skip locked)"
                            + " update platform_outbox o set claimed_by = ?, claimed_until = now() + make_interval(secs => ?)"
                            + " from batch where o.tenant_id = batch.tenant_id and o.event_id = batch.event_id"
                            + " returning o.seq, o.tenant_id::text, o.event_id::text, o.topic, o.event_key, o.event_type, o.payload::text")) {
                claim.setString(1, relay);
                claim.setString(2, relay);
                claim.setDouble(3, LEASE.toMillis() / 1000.0);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        events.add(new ClaimedEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                                rows.getString(5), rows.getString(6), rows.getString(7)));
                    }
                }
            }
            events.sort(Comparator.comparingLong(ClaimedEvent::seq));
            return events;
        });
    }

    /** Marks the events published, those still leased by this relay only; returns how many it marked. */
    int markPublished(List<ClaimedEvent> events) {
        return updateLeased(events, "published_at = now(), claimed_by = null, claimed_until = null");
    }

    /** Gives the lease of events that were not published back, so that they are relayed again at once. */
    private void release(List<ClaimedEvent> events) {
        try {
            updateLeased(events, "claimed_by = null, claimed_until = null");
        } catch (RuntimeException e) {
            LOG.debugf("Outbox lease not given back (it expires by itself): %s", rootMessage(e));
        }
    }

    private int updateLeased(List<ClaimedEvent> events, String assignments) {
        String relay = relayId();
        return inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("update platform_outbox o set " + assignments
                    + " from unnest(?::uuid[], ?::uuid[]) as e(tenant_id, event_id)"
                    + " where o.tenant_id = e.tenant_id and o.event_id = e.event_id and o.claimed_by = ? and o.published_at is null")) {
                update.setArray(1, connection.createArrayOf("uuid", events.stream().map(ClaimedEvent::tenantId).toArray()));
                update.setArray(2, connection.createArrayOf("uuid", events.stream().map(ClaimedEvent::eventId).toArray()));
                update.setString(3, relay);
                return update.executeUpdate();
            }
        });
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A short transaction on the role's own database, in the relay's mode (a cell's outbox policy admits every tenant). */
    private <T> T inTransaction(Work<T> work) {
        return QuarkusTransaction.requiringNew().timeout(30).call(() -> {
            TenantBulkhead.Admission limits = bulkhead.admitTransaction(Optional.empty()); // before the connection is taken
            AgroalDataSource dataSource = config.role() == NodeRole.CONTROL ? controlDataSource.get() : cellDataSource.get();
            try (Connection connection = dataSource.getConnection()) {
                relayMode(connection, config.role(), limits);
                return work.run(connection);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Puts the transaction in the relay's mode (a cell's outbox policy then admits every tenant's rows; a no-op in the
     * control database) and, on a cell, sets the statement and lock timeouts and parallel workers of its background class, in one round trip.
     */
    static void relayMode(Connection connection, NodeRole role, TenantBulkhead.Admission limits) throws SQLException {
        if (role != NodeRole.CELL) {
            try (PreparedStatement relayMode = connection.prepareStatement("select set_config('app.outbox_relay', 'on', true)")) {
                relayMode.execute();
            }
            return;
        }
        try (PreparedStatement relayMode = connection.prepareStatement("select set_config('app.outbox_relay', 'on', true), "
                + TenantBulkhead.Admission.SET_LIMITS)) {
            limits.bindLimits(relayMode, 1);
            relayMode.execute();
        }
    }

    /**
     * Sends the events in one Kafka transaction, with no database transaction or connection open, and commits it only
     * before {@code commitBefore} ({@link System#nanoTime()}); on any failure it is aborted and the producer renewed.
     */
    private void publish(KafkaProducer<String, String> kafka, List<ClaimedEvent> events, long commitBefore) throws InterruptedException {
        try {
            kafka.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
            for (ClaimedEvent e : events) {
                ProducerRecord<String, String> record = new ProducerRecord<>(e.topic(), e.key(), e.payload());
                record.headers().add("event-id", e.eventId().getBytes(StandardCharsets.UTF_8));
                record.headers().add("event-type", e.type().getBytes(StandardCharsets.UTF_8));
                record.headers().add("tenant-id", e.tenantId().getBytes(StandardCharsets.UTF_8));
                sent.add(kafka.send(record));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(15, TimeUnit.SECONDS);
            }
            if (System.nanoTime() - commitBefore > 0) {
                throw new IllegalStateException("the lease of the batch ran out before Kafka acknowledged it; it is sent again");
            }
            kafka.commitTransaction();
        } catch (InterruptedException | RuntimeException e) {
            abort(kafka);
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            abort(kafka);
            throw new IllegalStateException(e);
        }
    }

    private void abort(KafkaProducer<String, String> kafka) {
        try {
            kafka.abortTransaction();
        } catch (RuntimeException ignored) {
            // the producer is replaced below; an open transaction times out on the broker
        }
        discardProducer();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
