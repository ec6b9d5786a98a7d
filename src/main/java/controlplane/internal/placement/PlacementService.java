package controlplane.internal.placement;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the cell for a new tenant.
 *
 * <p>A cell is <em>eligible</em> for a demand when it is not draining, is healthy, has sane reports, is
 * not full, is not crowded by hot shops ({@link CellState#crowded}) and matches the demand's isolation:
 * <ul>
 *   <li>full means {@code tenants + 1 > capacityTenants}, or {@code load + expectedLoad > capacityLoad},
 *       or {@code dbUtilisation >= }{@value #DB_UTILISATION_LIMIT};</li>
 *   <li>an isolated demand goes only to a dedicated cell that has no tenant yet; a shared demand never
 *       goes to a dedicated cell.</li>
 * </ul>
 * Among eligible cells {@link #place} chooses the one with the least <em>projected utilisation</em>, the
 * utilisation of the cell once the tenant is on it:
 * {@code max((tenants + 1) / capacityTenants, (load + expectedLoad) / capacityLoad, dbUtilisation)};
 * equal utilisations go to the smallest cell id.
 *
 * <p>Pure and deterministic: the result depends only on the arguments (not on their order, when ids
 * are distinct), with no clock, randomness or state. {@code place} is one pass over the cells without
 * allocation per cell, so a caller may call it for every tenant. The reported {@code tenants} of a
 * dedicated cell must include placements still in flight, or two isolated tenants placed at once could
 * both be given the same empty cell: that is the caller's to ensure.
 */
@ApplicationScoped
public class PlacementService {

    /** Database utilisation at or above which a cell counts as full. */
    public static final double DB_UTILISATION_LIMIT = 0.85;

    /**
     * The cell for {@code demand} among {@code cells}, or empty when no cell is eligible (no capacity).
     */
    public Optional<Placement> place(List<CellState> cells, TenantDemand demand) {
        Objects.requireNonNull(cells, "cells");
        Objects.requireNonNull(demand, "demand");
        CellState best = null;
        double bestUtilisation = Double.POSITIVE_INFINITY;
        int eligible = 0;
        for (CellState cell : cells) {
            if (!isEligible(cell, demand)) {
                continue;
            }
            eligible++;
            if (clearlyWorse(cell, demand, bestUtilisation)) {
                continue;
            }
            double utilisation = projectedUtilisation(cell, demand);
            if (best == null || utilisation < bestUtilisation
                    || (utilisation == bestUtilisation && cell.id().compareTo(best.id()) < 0)) {
                best = cell;
                bestUtilisation = utilisation;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new Placement(best.id(), reason(best, demand, bestUtilisation, eligible)));
    }

    /** Whether {@code cell} may take {@code demand}; the same rules as {@link #ineligibility}, without messages. */
    public boolean isEligible(CellState cell, TenantDemand demand) {
        if (cell.draining() || cell.crowded() || !cell.healthy() || !saneReport(cell) || cell.capacityLoad() <= 0) {
            return false;
        }
        if (demand.isolated() ? !cell.dedicated() || cell.tenants() != 0 : cell.dedicated()) {
            return false;
        }
        return cell.tenants() < cell.capacityTenants()
                && cell.load() + demand.expectedLoad() <= cell.capacityLoad()
                && cell.dbUtilisation() < DB_UTILISATION_LIMIT;
    }

    /**
     * Why {@code cell} may not take {@code demand} (every reason that applies, separated by "; "), or
     * empty when it may.
     */
    public Optional<String> ineligibility(CellState cell, TenantDemand demand) {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(demand, "demand");
        List<String> reasons = new ArrayList<>();
        if (cell.draining()) {
            reasons.add("draining");
        }
        if (!cell.healthy()) {
            reasons.add("unhealthy (not reporting)");
        }
        if (cell.crowded()) {
            reasons.add("crowded: its hot shops (move candidates) use most of it");
        }
        if (!saneReport(cell)) {
            reasons.add("invalid report (tenants " + cell.tenants() + ", load " + cell.load()
                    + ", database utilisation " + cell.dbUtilisation() + ")");
        }
        if (demand.isolated()) {
            if (!cell.dedicated()) {
                reasons.add("shared cell, but plan " + demand.plan() + " needs a dedicated cell");
            } else if (cell.tenants() != 0) {
                reasons.add("dedicated cell already hosts " + cell.tenants() + " tenant(s), but plan "
                        + demand.plan() + " needs an empty one");
            }
        } else if (cell.dedicated()) {
            reasons.add("dedicated cell, reserved for isolated plans (plan " + demand.plan() + " is shared)");
        }
        if (cell.tenants() >= cell.capacityTenants()) {
            reasons.add("full: " + cell.tenants() + " of " + cell.capacityTenants() + " tenants");
        }
        if (cell.capacityLoad() <= 0) {
            reasons.add("full: no load capacity registered");
        } else if (!(cell.load() + demand.expectedLoad() <= cell.capacityLoad())) {
            reasons.add("full: load " + cell.load() + " + expected " + demand.expectedLoad() + " exceeds capacity "
                    + cell.capacityLoad());
        }
        if (!(cell.dbUtilisation() < DB_UTILISATION_LIMIT)) {
            reasons.add("full: database utilisation " + cell.dbUtilisation() + " >= " + DB_UTILISATION_LIMIT);
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /**
     * Utilisation of {@code cell} once {@code demand} is on it (meaningful for eligible cells): the
     * largest of the tenant, load and database utilisations.
     */
    public static double projectedUtilisation(CellState cell, TenantDemand demand) {
        double byTenants = (cell.tenants() + 1) / (double) cell.capacityTenants();
        double byLoad = (cell.load() + demand.expectedLoad()) / cell.capacityLoad();
        return Math.max(Math.max(byTenants, byLoad), cell.dbUtilisation());
    }

    /**
     * Whether the projected utilisation of an eligible {@code cell} is certainly above {@code best},
     * decided with multiplications instead of the two divisions (the hot path of {@link #place}). The
     * margin of 1e-9 is far above the rounding of either form, so a cell that would equal or beat
     * {@code best} is never skipped; the exact comparison is then made with {@link #projectedUtilisation}.
     */
    private static boolean clearlyWorse(CellState cell, TenantDemand demand, double best) {
        double limit = best * (1 + 1e-9);
        return cell.tenants() + 1 > limit * cell.capacityTenants()
                || cell.load() + demand.expectedLoad() > limit * cell.capacityLoad()
                || cell.dbUtilisation() > limit;
    }

    private static boolean saneReport(CellState cell) {
        return cell.tenants() >= 0
                && cell.load() >= 0 && cell.load() != Double.POSITIVE_INFINITY
                && cell.dbUtilisation() >= 0 && cell.dbUtilisation() != Double.POSITIVE_INFINITY;
    }

    private static String reason(CellState cell, TenantDemand demand, double utilisation, int eligible) {
        double byTenants = (cell.tenants() + 1) / (double) cell.capacityTenants();
        double byLoad = (cell.load() + demand.expectedLoad()) / cell.capacityLoad();
        String bound = utilisation == byTenants ? "tenants" : utilisation == byLoad ? "load" : "database";
        String what = demand.isolated() ? "empty dedicated cell" : "cell";
        if (eligible == 1) {
            return "only eligible " + what + ", projected utilisation " + twoDecimals(utilisation) + " (" + bound + ")";
        }
        return "least projected utilisation " + twoDecimals(utilisation) + " (" + bound + ") among " + eligible
                + " eligible " + (demand.isolated() ? "empty dedicated cells" : "cells");
    }

    /** {@code value} rounded to two decimals, e.g. "0.41" (cheaper than String.format on the hot path). */
    static String twoDecimals(double value) {
        long hundredths = Math.round(value * 100);
        long fraction = Math.abs(hundredths % 100);
        return (hundredths < 0 && hundredths > -100 ? "-" : "") + hundredths / 100 + "." + (fraction < 10 ? "0" : "")
                + fraction;
    }
}
