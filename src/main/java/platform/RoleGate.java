package platform;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Runtime gates for code that belongs to one role. REST resources use
 * {@code @EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")} (the property is
 * derived from {@code STOREFRONT_ROLE}); scheduled jobs use the nested skip predicates.
 */
public final class RoleGate {

    /** "true" on cell nodes, "false" elsewhere. */
    public static final String SERVES_CELL = "storefront.serves.cell";
    /** "true" on the control node, "false" elsewhere. */
    public static final String SERVES_CONTROL = "storefront.serves.control";
    /** "true" on gateways, "false" elsewhere. */
    public static final String SERVES_GATEWAY = "storefront.serves.gateway";

    private RoleGate() {}

    /**
     * Also skips every run until the application has started: jobs may need Kafka emitters, which
     * are wired by the messaging extension's startup observer, after the scheduler is already ticking.
     */
    abstract static class StartedGate implements Scheduled.SkipPredicate {
        @Inject StorefrontConfig config;
        volatile boolean started;

        void onStart(@Observes StartupEvent event) {
            started = true;
        }
    }

    /** Skips a scheduled job on every node that is not a cell. */
    @Singleton
    public static class NotCell extends StartedGate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !started || config.role() != NodeRole.CELL;
        }
    }

    /** Skips a scheduled job on every node that is not the control node. */
    @Singleton
    public static class NotControl extends StartedGate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !started || config.role() != NodeRole.CONTROL;
        }
    }

    /** Skips a scheduled job on nodes without an outbox (gateways): it runs on cells and the control node. */
    @Singleton
    public static class NoOutbox extends StartedGate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !started || config.role() == NodeRole.GATEWAY;
        }
    }

    /** Skips a scheduled job on every node that is not a gateway. */
    @Singleton
    public static class NotGateway extends StartedGate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return !started || config.role() != NodeRole.GATEWAY;
        }
    }
}
