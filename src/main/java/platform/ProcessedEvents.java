package platform;

import java.util.UUID;

/** Idempotent consumers: remembers which events a consumer has handled, per tenant, in the handler's transaction. */
public interface ProcessedEvents {

    /**
     * Marks an event as handled by a consumer, in the current tenant transaction.
     *
     * @return true the first time, false if it was handled before (skip it)
     */
    boolean firstTime(UUID tenantId, String consumer, UUID eventId);
}
