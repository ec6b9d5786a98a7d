package lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The bound tenant's exports as its owner asks for them (admin API and admin UI): every record of the shop in one
 * archive (credentials left out), made in the background and downloaded by a short-lived link.
 */
public interface ShopExports {

    /** Starts an export of the shop (or returns the one running). */
    Export request(String requestedBy);

    /** The shop's exports, the latest first. */
    List<Export> list(int limit);

    /**
     * A new download link of a ready export (relative to the shop's host; it replaces the last one and works for a short
     * while); empty if the export is not ready.
     */
    Optional<String> downloadLink(UUID exportId);

    /** An export of the shop. */
    record Export(UUID id, String status, long rows, Long sizeBytes, Instant createdAt, Instant finishedAt, Instant expiresAt,
                  String error) {}
}
