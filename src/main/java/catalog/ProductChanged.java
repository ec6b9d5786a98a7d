package catalog;

import java.util.UUID;

/** Data of a {@code ProductChanged} event: a product was created, updated or deleted. */
public record ProductChanged(UUID productId, String handle, String change) {

    /** Topic of catalogue events on the platform ({@code <platform>.catalog.events}; {@link platform.PlatformId#topic}). */
    public static final String TOPIC = "catalog.events";
}
