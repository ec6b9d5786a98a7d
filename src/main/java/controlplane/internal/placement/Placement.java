package controlplane.internal.placement;

import java.util.Objects;

/**
 * The cell chosen for a tenant.
 *
 * @param cellId the chosen cell
 * @param reason why, for people (e.g. "least projected utilisation 0.41 (load) among 37 eligible cells")
 */
public record Placement(String cellId, String reason) {

    public Placement {
        Objects.requireNonNull(cellId, "cellId");
        Objects.requireNonNull(reason, "reason");
    }
}
