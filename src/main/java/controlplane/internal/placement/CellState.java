package controlplane.internal.placement;

import java.util.Objects;

/**
 * What placement knows about one cell: what the operator registered (capacities, dedicated, draining)
 * and what the cell last reported (tenants, load, database utilisation). {@code healthy} is false when
 * the cell has stopped reporting.
 *
 * <p>Values are taken as given: a report that makes no sense (negative, NaN or infinite) does not throw
 * here but makes the cell ineligible for placement (see {@link PlacementService#ineligibility}), so one
 * bad report cannot stop placement on the rest of the fleet.
 *
 * @param id              cell id; ties between equally utilised cells go to the smallest id
 *                        ({@link String#compareTo}, so zero-pad numeric ids)
 * @param capacityTenants how many tenants the cell may host
 * @param capacityLoad    how many load units (e.g. requests per second) the cell may carry
 * @param dedicated       reserved for isolated plans (one tenant per cell)
 * @param draining        the operator is emptying the cell: it takes no new tenants
 * @param healthy         the cell is reporting
 * @param tenants         tenants it hosts now
 * @param load            load units it carries now
 * @param dbUtilisation   utilisation of its database, 0..1
 * @param crowded         its hot shops (move candidates) use most of it: it takes no new tenant until they move or
 *                        cool down (docs/adr/0018-hot-tenant-detection.md)
 */
public record CellState(String id, int capacityTenants, long capacityLoad, boolean dedicated, boolean draining,
        boolean healthy, long tenants, double load, double dbUtilisation, boolean crowded) {

    public CellState {
        Objects.requireNonNull(id, "id");
    }

    /** A cell that no hot shop crowds. */
    public CellState(String id, int capacityTenants, long capacityLoad, boolean dedicated, boolean draining,
                     boolean healthy, long tenants, double load, double dbUtilisation) {
        this(id, capacityTenants, capacityLoad, dedicated, draining, healthy, tenants, load, dbUtilisation, false);
    }

    /** This cell with one more tenant carrying {@code addedLoad} load units (everything else unchanged). */
    public CellState withTenant(double addedLoad) {
        return new CellState(id, capacityTenants, capacityLoad, dedicated, draining, healthy, tenants + 1,
                load + addedLoad, dbUtilisation, crowded);
    }
}
