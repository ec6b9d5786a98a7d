package gateway.internal.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.vertx.core.Vertx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import platform.NodeRole;
import tenancy.CellHeartbeat;
import tenancy.CellSaturation;

/** The gateway's admission across cells: one limit per cell, its metrics, heartbeats, the off switch. */
class AdmissionTest {

    static final UUID A = UUID.randomUUID();
    static final UUID B = UUID.randomUUID();

    final AtomicLong now = new AtomicLong();
    final MeterRegistry metrics = new SimpleMeterRegistry();

    record Settings(boolean enabled, int minLimit, int maxLimit, int initialLimit, double overshoot, int minShare,
                    int retryAfter, double saturatedCpu, Duration maxWait, int maxWaiting, int maxWaitingPerTenant,
                    double neighbourLatencyRatio, double tenantStartRate, double tenantMinRate) implements AdmissionConfig {

        Settings(boolean enabled, int minLimit, int maxLimit, int initialLimit, double overshoot, int minShare, int retryAfter,
                 double saturatedCpu) {
            this(enabled, minLimit, maxLimit, initialLimit, overshoot, minShare, retryAfter, saturatedCpu, Duration.ZERO, 0, 0, 0, 0, 0);
        }

        Settings(boolean enabled, int minLimit, int maxLimit, int initialLimit, double overshoot, int minShare, int retryAfter,
                 double saturatedCpu, Duration maxWait, int maxWaiting, int maxWaitingPerTenant) {
            this(enabled, minLimit, maxLimit, initialLimit, overshoot, minShare, retryAfter, saturatedCpu, maxWait, maxWaiting,
                    maxWaitingPerTenant, 0, 0, 0);
        }

        @Override
        public Duration loopLagLimit() {
            return Duration.ZERO;
        }
    }

    Admission admission(boolean enabled, int min, int initial, int max) {
        return new Admission(new Settings(enabled, min, max, initial, 1.25, 2, 3, 0.9), NodeRole.GATEWAY,
                Duration.ofSeconds(5), metrics, now::get);
    }

    /** Admission without Vert.x (no timers): a request not admitted at once is shed at once. */
    static Permit admitNow(Admission admission, String cell, UUID tenant) {
        io.vertx.core.Future<Permit> outcome = admission.admitOrWait(cell, tenant);
        assertTrue(outcome.isComplete(), "without Vert.x, admission decides at once");
        return outcome.succeeded() ? outcome.result() : null;
    }

    double gauge(String name, String cell) {
        return metrics.get(name).tag("cell", cell).gauge().value();
    }

    @Test
    void eachCellHasItsOwnLimitAndMetrics() {
        Admission admission = admission(true, 2, 2, 2);
        assertNotNull(admitNow(admission, "c1", A));
        assertNotNull(admitNow(admission, "c1", A));
        assertNull(admitNow(admission, "c1", A));
        // another cell is not affected
        assertNotNull(admitNow(admission, "c2", A));
        assertEquals(2, gauge("gateway.admission.limit", "c1"));
        assertEquals(2, gauge("gateway.admission.inflight", "c1"));
        assertEquals(1, gauge("gateway.admission.inflight", "c2"));
        assertEquals(1, metrics.get("gateway.admission.shed").tag("cell", "c1").counter().count());
        assertEquals(0, metrics.get("gateway.admission.shed").tag("cell", "c2").counter().count());
        assertEquals(3, admission.retryAfterSeconds());
    }

    @Test
    void aHeartbeatReportingSaturationCapsTheCellsLimit() {
        Admission admission = admission(true, 10, 40, 100);
        admitNow(admission, "c1", A).answered(200);
        admission.report(new CellHeartbeat("c1", "http://c1", 10, 5, 0.5, Instant.EPOCH, null,
                new CellSaturation(4, 200, 20, 2, 0.4), null));
        assertEquals(30, gauge("gateway.admission.limit", "c1"));
        // a report of an earlier version's cell (no saturation) changes nothing
        admission.report(new CellHeartbeat("c1", "http://c1", 10, 5, 0.5, Instant.EPOCH, null, null, null));
        assertEquals(30, gauge("gateway.admission.limit", "c1"));
        // the cap lapses after three heartbeat intervals without a report
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        assertEquals(40, gauge("gateway.admission.limit", "c1"));
    }

    @Test
    void limitsAreKeptInOrder() {
        Admission admission = admission(true, 10, 500, 50);
        admitNow(admission, "c1", A);
        assertEquals(50, gauge("gateway.admission.limit", "c1"), "the initial limit is at most the maximum");
    }

    @Test
    void offAdmitsEverythingAndCountsNothing() {
        Admission admission = admission(false, 1, 1, 1);
        for (int i = 0; i < 10; i++) {
            assertSame(Permit.UNLIMITED, admitNow(admission, "c1", B));
        }
        Permit.UNLIMITED.answered(200);
        assertNull(metrics.find("gateway.admission.limit").gauge());
    }

    /** Runs on an event loop of the given Vert.x and waits for the outcome of the future it returns. */
    static <T> CompletableFuture<T> onContext(Vertx vertx, java.util.function.Supplier<io.vertx.core.Future<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        vertx.runOnContext(ignored -> work.get().onComplete(done -> {
            if (done.succeeded()) {
                result.complete(done.result());
            } else {
                result.completeExceptionally(done.cause());
            }
        }));
        return result;
    }

    @Test
    void aRequestThatFindsNoPlaceWaitsForTheNextOneAndIsShedWhenTheWaitRunsOut() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Admission admission = new Admission(new Settings(true, 1, 1, 1, 1.0, 1, 1, 0.9, Duration.ofSeconds(30), 10, 10),
                    NodeRole.GATEWAY, Duration.ofSeconds(5), metrics, now::get, vertx);
            Permit first = onContext(vertx, () -> admission.admitOrWait("c1", A)).get(10, TimeUnit.SECONDS);
            CompletableFuture<Permit> second = onContext(vertx, () -> admission.admitOrWait("c1", A));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> gauge("gateway.admission.waiting", "c1") == 1);
            assertFalse(second.isDone(), "the cell is at its limit: the second request waits");
            first.answered(200);
            Permit granted = second.get(10, TimeUnit.SECONDS);
            assertNotNull(granted);
            assertEquals(0, gauge("gateway.admission.waiting", "c1"));
            assertEquals(1, gauge("gateway.admission.inflight", "c1"));
            assertEquals(1, metrics.get("gateway.admission.waited").tag("cell", "c1").counter().count());

            Admission impatient = new Admission(new Settings(true, 1, 1, 1, 1.0, 1, 1, 0.9, Duration.ofMillis(50), 10, 10),
                    NodeRole.GATEWAY, Duration.ofSeconds(5), new SimpleMeterRegistry(), now::get, vertx);
            onContext(vertx, () -> impatient.admitOrWait("c2", A)).get(10, TimeUnit.SECONDS);
            ExecutionException shed = assertThrows(ExecutionException.class,
                    () -> onContext(vertx, () -> impatient.admitOrWait("c2", B)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(Admission.Shed.class, shed.getCause());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutAWaitARequestThatFindsNoPlaceIsShedAtOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Admission admission = new Admission(new Settings(true, 1, 1, 1, 1.0, 1, 1, 0.9), NodeRole.GATEWAY,
                    Duration.ofSeconds(5), metrics, now::get, vertx);
            onContext(vertx, () -> admission.admitOrWait("c1", A)).get(10, TimeUnit.SECONDS);
            ExecutionException shed = assertThrows(ExecutionException.class,
                    () -> onContext(vertx, () -> admission.admitOrWait("c1", A)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(Admission.Shed.class, shed.getCause());
            assertEquals(1, metrics.get("gateway.admission.shed").tag("cell", "c1").counter().count());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
