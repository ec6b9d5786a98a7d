package controlplane.internal.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlacementServiceTest {

    final PlacementService service = new PlacementService();

    static final TenantDemand SHARED = new TenantDemand("standard", false, 10);
    static final TenantDemand ISOLATED = new TenantDemand("enterprise", true, 10);

    /** A healthy, active, shared cell with capacity 100 tenants and 1,000 load units. */
    static CellState shared(String id, long tenants, double load, double db) {
        return new CellState(id, 100, 1_000, false, false, true, tenants, load, db);
    }

    static CellState dedicated(String id, long tenants) {
        return new CellState(id, 100, 1_000, true, false, true, tenants, 0, 0);
    }

    static CellState draining(CellState c) {
        return new CellState(c.id(), c.capacityTenants(), c.capacityLoad(), c.dedicated(), true, c.healthy(),
                c.tenants(), c.load(), c.dbUtilisation());
    }

    static CellState unhealthy(CellState c) {
        return new CellState(c.id(), c.capacityTenants(), c.capacityLoad(), c.dedicated(), c.draining(), false,
                c.tenants(), c.load(), c.dbUtilisation());
    }

    String chosen(List<CellState> cells, TenantDemand demand) {
        return service.place(cells, demand).map(Placement::cellId).orElse("<none>");
    }

    // --- nothing to choose from ---

    @Test
    void noCellsMeansNoPlacement() {
        assertEquals(Optional.empty(), service.place(List.of(), SHARED));
        assertEquals(Optional.empty(), service.place(List.of(), ISOLATED));
    }

    @Test
    void noEligibleCellMeansNoPlacement() {
        List<CellState> cells = List.of(draining(shared("a", 0, 0, 0)), unhealthy(shared("b", 0, 0, 0)),
                shared("c", 100, 0, 0), dedicated("d", 0));
        assertEquals(Optional.empty(), service.place(cells, SHARED));
    }

    // --- exclusions, each against an otherwise worse but eligible cell ---

    @Test
    void drainingCellIsNeverChosenEvenWhenEmpty() {
        CellState empty = draining(shared("a", 0, 0, 0));
        CellState busy = shared("b", 90, 900, 0.8);
        assertEquals("b", chosen(List.of(empty, busy), SHARED));
        assertEquals(Optional.empty(), service.place(List.of(empty), SHARED));
        assertEquals(Optional.of("draining"), service.ineligibility(empty, SHARED));
    }

    @Test
    void cellCrowdedByItsHotShopsIsNeverChosenEvenWhenEmptier() {
        CellState crowded = new CellState("a", 100, 1_000, false, false, true, 1, 100, 0.1, true);
        CellState busy = shared("b", 90, 900, 0.8);
        assertEquals("b", chosen(List.of(crowded, busy), SHARED));
        assertEquals(Optional.empty(), service.place(List.of(crowded), SHARED));
        assertEquals(Optional.of("crowded: its hot shops (move candidates) use most of it"), service.ineligibility(crowded, SHARED));
        assertTrue(crowded.withTenant(1).crowded(), "a cell stays crowded when placement counts a tenant on it");
    }

    @Test
    void unhealthyCellIsNeverChosenEvenWhenEmpty() {
        CellState empty = unhealthy(shared("a", 0, 0, 0));
        CellState busy = shared("b", 90, 900, 0.8);
        assertEquals("b", chosen(List.of(empty, busy), SHARED));
        assertEquals(Optional.empty(), service.place(List.of(empty), SHARED));
        assertEquals(Optional.of("unhealthy (not reporting)"), service.ineligibility(empty, SHARED));
    }

    @Test
    void cellFullOfTenantsIsExcludedAndOneSlotLeftIsNot() {
        CellState full = new CellState("a", 100, 1_000_000, false, false, true, 100, 0, 0);
        CellState lastSlot = new CellState("b", 100, 1_000, false, false, true, 99, 0, 0);
        assertEquals(Optional.empty(), service.place(List.of(full), SHARED));
        assertEquals("b", chosen(List.of(full, lastSlot), SHARED));
        assertEquals(Optional.of("full: 100 of 100 tenants"), service.ineligibility(full, SHARED));
        assertEquals(Optional.empty(), service.ineligibility(lastSlot, SHARED));
        CellState noTenantCapacity = new CellState("c", 0, 1_000, false, false, true, 0, 0, 0);
        assertEquals(Optional.of("full: 0 of 0 tenants"), service.ineligibility(noTenantCapacity, SHARED));
    }

    @Test
    void cellWhoseLoadWouldExceedCapacityIsExcludedAndExactFitIsNot() {
        CellState over = shared("a", 0, 990.5, 0); // 990.5 + 10 > 1000
        CellState exact = shared("b", 99, 990, 0); // 990 + 10 == 1000: fits
        assertEquals(Optional.empty(), service.place(List.of(over), SHARED));
        assertEquals("b", chosen(List.of(over, exact), SHARED));
        assertEquals(Optional.of("full: load 990.5 + expected 10.0 exceeds capacity 1000"),
                service.ineligibility(over, SHARED));
        assertEquals(Optional.empty(), service.ineligibility(exact, SHARED));
        CellState noLoadCapacity = new CellState("c", 100, 0, false, false, true, 0, 0, 0);
        assertFalse(service.isEligible(noLoadCapacity, new TenantDemand("free", false, 0)));
        assertEquals(Optional.of("full: no load capacity registered"),
                service.ineligibility(noLoadCapacity, new TenantDemand("free", false, 0)));
    }

    @Test
    void cellWithDatabaseAtLimitIsExcludedAndJustBelowIsNot() {
        CellState atLimit = shared("a", 0, 0, 0.85);
        CellState below = shared("b", 0, 0, 0.8499);
        assertEquals(Optional.empty(), service.place(List.of(atLimit), SHARED));
        assertEquals("b", chosen(List.of(atLimit, below), SHARED));
        assertEquals(Optional.of("full: database utilisation 0.85 >= 0.85"), service.ineligibility(atLimit, SHARED));
        assertEquals(Optional.empty(), service.ineligibility(below, SHARED));
    }

    @Test
    void cellWithNonsensicalReportIsExcluded() {
        CellState nanLoad = shared("a", 0, Double.NaN, 0);
        CellState negativeTenants = shared("b", -1, 0, 0);
        CellState infiniteDb = shared("c", 0, 0, Double.POSITIVE_INFINITY);
        CellState fine = shared("z", 50, 500, 0.5);
        List<CellState> cells = List.of(nanLoad, negativeTenants, infiniteDb, fine);
        assertEquals("z", chosen(cells, SHARED));
        for (CellState bad : List.of(nanLoad, negativeTenants, infiniteDb)) {
            assertFalse(service.isEligible(bad, SHARED), bad.toString());
            assertTrue(service.ineligibility(bad, SHARED).orElseThrow().startsWith("invalid report"), bad.toString());
        }
    }

    // --- isolation ---

    @Test
    void isolatedDemandGoesOnlyToAnEmptyDedicatedCell() {
        CellState emptyShared = shared("a", 0, 0, 0);
        CellState occupiedDedicated = dedicated("b", 1);
        CellState emptyDedicated = new CellState("c", 1, 1_000, true, false, true, 0, 0, 0.5);
        assertEquals("c", chosen(List.of(emptyShared, occupiedDedicated, emptyDedicated), ISOLATED));
        assertEquals(Optional.empty(), service.place(List.of(emptyShared, occupiedDedicated), ISOLATED));
        assertEquals(Optional.of("shared cell, but plan enterprise needs a dedicated cell"),
                service.ineligibility(emptyShared, ISOLATED));
        assertEquals(Optional.of("dedicated cell already hosts 1 tenant(s), but plan enterprise needs an empty one"),
                service.ineligibility(occupiedDedicated, ISOLATED));
        assertEquals(Optional.empty(), service.ineligibility(emptyDedicated, ISOLATED));
    }

    @Test
    void isolatedDemandStillRespectsDrainingHealthAndCapacity() {
        CellState drainingDedicated = draining(dedicated("a", 0));
        CellState unhealthyDedicated = unhealthy(dedicated("b", 0));
        CellState tooSmall = new CellState("c", 100, 5, true, false, true, 0, 0, 0); // expected load 10 > 5
        CellState busyDatabase = new CellState("d", 100, 1_000, true, false, true, 0, 0, 0.9);
        assertEquals(Optional.empty(),
                service.place(List.of(drainingDedicated, unhealthyDedicated, tooSmall, busyDatabase), ISOLATED));
    }

    @Test
    void isolatedDemandTakesTheLeastUtilisedEmptyDedicatedCell() {
        CellState small = new CellState("a", 1, 20, true, false, true, 0, 0, 0); // (0+10)/20 = 0.5, 1/1 = 1.0
        CellState large = new CellState("b", 10, 1_000, true, false, true, 0, 0, 0.2); // max(0.1, 0.01, 0.2) = 0.2
        Placement p = service.place(List.of(small, large), ISOLATED).orElseThrow();
        assertEquals("b", p.cellId());
        assertEquals("least projected utilisation 0.20 (database) among 2 eligible empty dedicated cells", p.reason());
    }

    @Test
    void sharedDemandNeverGoesToADedicatedCell() {
        CellState emptyDedicated = dedicated("a", 0);
        CellState busyShared = shared("b", 99, 900, 0.8);
        assertEquals("b", chosen(List.of(emptyDedicated, busyShared), SHARED));
        assertEquals(Optional.empty(), service.place(List.of(emptyDedicated, dedicated("c", 3)), SHARED));
        assertEquals(Optional.of("dedicated cell, reserved for isolated plans (plan standard is shared)"),
                service.ineligibility(emptyDedicated, SHARED));
    }

    // --- choice among eligible cells ---

    @Test
    void chosesTheLeastProjectedUtilisationWhicheverDimensionBinds() {
        CellState manyTenants = shared("a", 60, 100, 0.1); // max(61/100, 110/1000, 0.1) = 0.61
        CellState heavyLoad = shared("b", 10, 500, 0.1); // max(0.11, 0.51, 0.1) = 0.51
        CellState busyDatabase = shared("c", 10, 100, 0.55); // max(0.11, 0.11, 0.55) = 0.55
        Placement p = service.place(List.of(manyTenants, heavyLoad, busyDatabase), SHARED).orElseThrow();
        assertEquals("b", p.cellId());
        assertEquals("least projected utilisation 0.51 (load) among 3 eligible cells", p.reason());
        assertEquals("c", chosen(List.of(manyTenants, busyDatabase), SHARED));
        assertEquals("a", chosen(List.of(manyTenants, shared("d", 10, 100, 0.7)), SHARED));
    }

    @Test
    void usesUtilisationAfterPlacementNotBefore() {
        // Now a is at 0.30 and b at 0.35, but with the tenant's 20 units a goes to 0.50 and b to 0.37.
        CellState smallLoad = new CellState("a", 1_000, 100, false, false, true, 0, 30, 0);
        CellState bigLoad = new CellState("b", 1_000, 1_000, false, false, true, 0, 350, 0);
        TenantDemand demand = new TenantDemand("standard", false, 20);
        assertTrue(PlacementService.projectedUtilisation(smallLoad, demand)
                > PlacementService.projectedUtilisation(bigLoad, demand));
        assertEquals("b", chosen(List.of(smallLoad, bigLoad), demand));
    }

    @Test
    void projectedUtilisationIsTheLargestOfTheThreeRatios() {
        assertEquals(0.61, PlacementService.projectedUtilisation(shared("a", 60, 100, 0.1), SHARED), 1e-12);
        assertEquals(0.51, PlacementService.projectedUtilisation(shared("a", 10, 500, 0.1), SHARED), 1e-12);
        assertEquals(0.55, PlacementService.projectedUtilisation(shared("a", 10, 100, 0.55), SHARED), 1e-12);
    }

    @Test
    void tiesGoToTheSmallestIdWhateverTheOrder() {
        List<CellState> cells = new ArrayList<>(List.of(shared("cell-03", 5, 50, 0), shared("cell-01", 5, 50, 0),
                shared("cell-02", 5, 50, 0), shared("cell-00", 6, 50, 0)));
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(cells, random);
            Placement p = service.place(cells, SHARED).orElseThrow();
            assertEquals("cell-01", p.cellId(), cells.toString());
            assertEquals("least projected utilisation 0.06 (tenants) among 4 eligible cells", p.reason());
        }
    }

    @Test
    void sameInputGivesSamePlacement() {
        List<CellState> cells = randomCells(new Random(42), 200);
        Optional<Placement> first = service.place(cells, SHARED);
        assertTrue(first.isPresent());
        for (int i = 0; i < 5; i++) {
            assertEquals(first, service.place(List.copyOf(cells), SHARED));
        }
        List<CellState> reversed = new ArrayList<>(cells);
        Collections.reverse(reversed);
        assertEquals(first, service.place(reversed, SHARED));
    }

    @Test
    void singleEligibleCellIsSaidSo() {
        Placement p = service.place(List.of(shared("a", 40, 100, 0), draining(shared("b", 0, 0, 0))), SHARED)
                .orElseThrow();
        assertEquals(new Placement("a", "only eligible cell, projected utilisation 0.41 (tenants)"), p);
        Placement isolated = service.place(List.of(dedicated("d", 0)), ISOLATED).orElseThrow();
        assertEquals("only eligible empty dedicated cell, projected utilisation 0.01 (tenants)", isolated.reason());
    }

    // --- explanations ---

    @Test
    void ineligibilityListsEveryReasonThatApplies() {
        CellState everythingWrong = new CellState("x", 10, 100, true, true, false, 10, 95, 0.9);
        assertEquals(Optional.of("draining; unhealthy (not reporting); "
                        + "dedicated cell, reserved for isolated plans (plan standard is shared); "
                        + "full: 10 of 10 tenants; full: load 95.0 + expected 10.0 exceeds capacity 100; "
                        + "full: database utilisation 0.9 >= 0.85"),
                service.ineligibility(everythingWrong, SHARED));
        assertEquals(Optional.empty(), service.ineligibility(shared("ok", 0, 0, 0), SHARED));
    }

    /**
     * Against a naive reference (filter with {@code ineligibility}, then sort by utilisation and id) on
     * random fleets: the eligibility test and the explanation agree, and {@code place} picks the same cell.
     */
    @Test
    void agreesWithANaiveReferenceOnRandomFleets() {
        Random random = new Random(2024);
        int placed = 0;
        int empty = 0;
        for (int round = 0; round < 2_000; round++) {
            List<CellState> cells = randomCells(random, random.nextInt(12));
            TenantDemand demand = new TenantDemand("p", random.nextInt(4) == 0, random.nextInt(4) * 25.0);
            for (CellState cell : cells) {
                assertEquals(service.isEligible(cell, demand), service.ineligibility(cell, demand).isEmpty(),
                        cell + " " + demand);
            }
            Optional<String> expected = cells.stream()
                    .filter(c -> service.ineligibility(c, demand).isEmpty())
                    .min(Comparator.comparingDouble((CellState c) -> PlacementService.projectedUtilisation(c, demand))
                            .thenComparing(CellState::id))
                    .map(CellState::id);
            Optional<Placement> actual = service.place(cells, demand);
            assertEquals(expected, actual.map(Placement::cellId), cells + " " + demand);
            if (actual.isPresent()) {
                placed++;
            } else {
                empty++;
            }
        }
        assertTrue(placed > 500 && empty > 200, "the random fleets exercise both outcomes: " + placed + "/" + empty);
    }

    @Test
    void equalUtilisationThroughDifferentDimensionsIsATie() {
        CellState byTenants = shared("b", 49, 0, 0); // (49 + 1) / 100 = 0.5
        CellState byLoad = shared("c", 0, 490, 0); // (490 + 10) / 1000 = 0.5
        CellState byDatabase = shared("d", 0, 0, 0.5);
        assertEquals("b", chosen(List.of(byDatabase, byLoad, byTenants), SHARED));
        assertEquals("c", chosen(List.of(byDatabase, byLoad), SHARED));
    }

    /**
     * Cells whose utilisations differ by a few units in the last place, or are equal: place() compares
     * with multiplications first, and must still choose exactly as the naive reference does.
     */
    @Test
    void nearTiesAreDecidedExactly() {
        Random random = new Random(99);
        for (int round = 0; round < 2_000; round++) {
            List<CellState> cells = new ArrayList<>();
            double baseLoad = 100 + random.nextInt(800) + random.nextDouble();
            for (int i = 0; i < 8; i++) {
                double load = baseLoad;
                for (int ulps = random.nextInt(7) - 3; ulps != 0; ulps += ulps > 0 ? -1 : 1) {
                    load = ulps > 0 ? Math.nextUp(load) : Math.nextDown(load);
                }
                int capacityLoad = random.nextBoolean() ? 1_000 : 999;
                cells.add(new CellState("c" + random.nextInt(100), 100, capacityLoad, false, false, true,
                        random.nextInt(3), load, 0));
            }
            TenantDemand demand = new TenantDemand("p", false, random.nextInt(3) * 0.1);
            Optional<String> expected = cells.stream()
                    .filter(c -> service.ineligibility(c, demand).isEmpty())
                    .min(Comparator.comparingDouble((CellState c) -> PlacementService.projectedUtilisation(c, demand))
                            .thenComparing(CellState::id))
                    .map(CellState::id);
            assertEquals(expected, service.place(cells, demand).map(Placement::cellId), cells.toString());
        }
    }

    // --- inputs ---

    @Test
    void rejectsMeaninglessDemandsAndNullIds() {
        assertThrows(IllegalArgumentException.class, () -> new TenantDemand("p", false, -1));
        assertThrows(IllegalArgumentException.class, () -> new TenantDemand("p", false, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new TenantDemand("p", false, Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> shared(null, 0, 0, 0));
        assertThrows(NullPointerException.class, () -> service.place(null, SHARED));
    }

    @Test
    void withTenantAddsOneTenantAndItsLoad() {
        CellState before = shared("a", 3, 40.5, 0.2);
        assertEquals(shared("a", 4, 50.5, 0.2), before.withTenant(10));
    }

    @Test
    void twoDecimalsRounds() {
        assertEquals("0.41", PlacementService.twoDecimals(0.41));
        assertEquals("0.05", PlacementService.twoDecimals(0.049));
        assertEquals("1.00", PlacementService.twoDecimals(0.9999));
        assertEquals("12.34", PlacementService.twoDecimals(12.3412));
    }

    static List<CellState> randomCells(Random random, int count) {
        List<CellState> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int capacityTenants = 1 + random.nextInt(10);
            long capacityLoad = 50 + random.nextInt(200);
            cells.add(new CellState(String.format("c%03d", random.nextInt(1_000)), capacityTenants, capacityLoad,
                    random.nextInt(5) == 0, random.nextInt(8) == 0, random.nextInt(8) != 0,
                    random.nextInt(capacityTenants + 2), random.nextInt((int) capacityLoad + 40) + random.nextInt(4) * 0.25,
                    random.nextInt(20) * 0.05));
        }
        return cells;
    }
}
