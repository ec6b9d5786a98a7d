package controlplane.internal.placement;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Places a population of tenants with Zipf-distributed load on a fleet of equal cells with
 * {@link PlacementService} and, as baselines on the same input, with round-robin and random placement,
 * and reports how evenly each spreads load and tenants, how long placement takes and how many cells each
 * needs. Run with {@code bench/placement/run.sh} (see bench/placement/README.md); options:
 *
 * <pre>
 *   --smoke              20,000 tenants, 4 cells, capacity 10,000 tenants / 10,000 load units; checks, no file
 *   --tenants=N          tenants to place (2,000,000)
 *   --cells=A,B,...      fleet sizes (40,80,120,160,200)
 *   --cap-tenants=N      tenant capacity of a cell (50,000)
 *   --cap-load=N         load capacity of a cell in load units (50,000; the mean tenant carries 1 unit)
 *   --top-share=F        share of total load carried by the top 1% of tenants (0.40)
 *   --seed=N             seed of the arrival order and of random placement (42)
 *   --needed-seeds=A,B   also search the fleet size needed with these seeds (other arrival orders)
 *   --out=PATH           where to write the Markdown report (bench/placement/results.md; none with --smoke)
 *   --no-out             write no file
 * </pre>
 *
 * <p>Model: tenant of rank r (1 = heaviest) carries {@code c / r^s} load units, with s found by bisection
 * so that the top 1% carry the target share and c so that the mean is 1 unit. Tenants arrive in a random
 * order (fixed seed) and never move once placed. Every tenant is on the shared plan. Cells are healthy,
 * shared, not draining; database utilisation is not modelled (0). Two scenarios: "known load", where the
 * demand's expectedLoad is the tenant's real load, and "plan default", where it is the plan's default
 * (1 unit, the mean) for every tenant and the real load shows up only in the cell's next report (taken to
 * arrive before the next placement). Round-robin and random placement skip cells that are not eligible by
 * the same rules ({@link PlacementService#isEligible}), so they never overfill a cell they can see is
 * full; random picks uniformly among eligible cells.
 *
 * <p>Least-utilised placement calls {@link PlacementService#place} for every tenant with the whole fleet:
 * the cells are kept in an array of immutable {@link CellState} records (the placed cell's record is
 * replaced) and passed as a fixed-size list view, so the simulation measures the production method itself.
 */
public final class PlacementSimulation {

    static final String PLAN = "standard";
    static final double PLAN_DEFAULT_LOAD = 1.0;
    static final double TOP_FRACTION = 0.01;

    enum Strategy {
        LEAST_UTILISED("least-utilised"), ROUND_ROBIN("round-robin"), RANDOM("random");

        final String label;

        Strategy(String label) {
            this.label = label;
        }
    }

    enum Scenario {
        KNOWN_LOAD("Known load", "expectedLoad = the tenant's real load"),
        PLAN_DEFAULT("Plan default",
                "expectedLoad = 1 unit (the plan default, the mean) for every tenant; real load seen in the next report");

        final String title;
        final String description;

        Scenario(String title, String description) {
            this.title = title;
            this.description = description;
        }
    }

    record Config(int tenants, int[] cellCounts, int capacityTenants, long capacityLoad, double topShare, long seed,
            long[] neededSeeds, boolean smoke, Path out) {
    }

    /** Outcome of placing every tenant once on one fleet with one strategy. */
    record Run(int cells, int placed, int failures, int overloadedCells, double maxLoad, double meanLoad,
            double loadStdDev, long maxTenants, double meanTenants, long nanos, long checksum, String firstProblem) {

        double loadRatio() {
            return meanLoad == 0 ? 0 : maxLoad / meanLoad;
        }

        double loadCv() {
            return meanLoad == 0 ? 0 : loadStdDev / meanLoad;
        }

        double tenantRatio() {
            return meanTenants == 0 ? 0 : maxTenants / meanTenants;
        }
    }

    /** Zipf loads, heaviest first, and how they were calibrated. */
    record Loads(double[] byRank, double exponent, double topShare, double totalLoad) {

        double heaviest() {
            return byRank[0];
        }
    }

    /** Fleet size needed by one strategy in one scenario (negative: none up to minus that), and what failed with one cell fewer. */
    record Needed(int cells, String blockerBelow) {
    }

    private final PlacementService service = new PlacementService();
    private final Config config;

    PlacementSimulation(Config config) {
        this.config = config;
    }

    public static void main(String[] args) throws IOException {
        Config config = parse(args);
        int status = new PlacementSimulation(config).execute();
        System.exit(status);
    }

    int execute() throws IOException {
        long wallStart = System.nanoTime();
        Loads loads = zipfLoads(config.tenants(), config.topShare());
        double[] arrivals = arrivalOrder(loads, config.seed());
        System.err.printf(Locale.ROOT, "placement simulation: %,d tenants, Zipf exponent %.4f, top 1%% carry %.2f%%%n",
                config.tenants(), loads.exponent(), loads.topShare() * 100);

        warmUp(arrivals);

        List<String> problems = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        md.append(header(loads));
        for (Scenario scenario : Scenario.values()) {
            md.append("\n### ").append(scenario.title).append(" (").append(scenario.description).append(")\n\n");
            md.append(tableHeader(scenario));
            for (int cells : config.cellCounts()) {
                Run ours = run(Strategy.LEAST_UTILISED, scenario, arrivals, cells, config.seed(), false);
                Run roundRobin = run(Strategy.ROUND_ROBIN, scenario, arrivals, cells, config.seed(), false);
                Run random = run(Strategy.RANDOM, scenario, arrivals, cells, config.seed(), false);
                md.append(row(scenario, loads, ours, roundRobin, random));
                System.err.printf(Locale.ROOT, "  %s, %d cells: %.1f s so far%n", scenario.name(), cells,
                        seconds(wallStart));
                if (config.smoke()) {
                    Run again = run(Strategy.LEAST_UTILISED, scenario, arrivals, cells, config.seed(), false);
                    if (again.checksum() != ours.checksum()) {
                        problems.add(scenario + ": least-utilised placed differently on a second run");
                    }
                    for (Run r : List.of(ours, roundRobin, random)) {
                        if (r.failures() != 0 || r.placed() != config.tenants() || r.overloadedCells() != 0) {
                            problems.add(scenario + ": " + r.failures() + " failures, " + r.overloadedCells()
                                    + " overloaded cells at " + cells + " cells");
                        }
                        if (!(r.loadRatio() >= 1 - 1e-9 && r.tenantRatio() >= 1 - 1e-9)) {
                            problems.add(scenario + ": max/mean below 1");
                        }
                    }
                }
            }
        }

        int lowerBound = lowerBound(loads);
        md.append("\n### Cells needed\n\n");
        md.append(String.format(Locale.ROOT,
                "Smallest fleet of cells of %,d tenants and %,d load units on which every tenant is placed and no"
                        + " cell's real load exceeds its capacity. Every size from the lower bound (total / capacity"
                        + " = %d) up is tried, so the answer does not assume that more cells always help. The last"
                        + " column says what went wrong with one cell fewer (the first tenant that could not be"
                        + " placed, or the first cell pushed over capacity).%n%n",
                config.capacityTenants(), config.capacityLoad(), lowerBound));
        md.append("| strategy | scenario | cells needed | with one cell fewer |\n|---|---|---:|---|\n");
        for (Scenario scenario : Scenario.values()) {
            for (Strategy strategy : Strategy.values()) {
                Needed needed = cellsNeeded(strategy, scenario, loads, arrivals, config.seed());
                md.append("| ").append(strategy.label).append(" | ").append(scenario.title).append(" | ")
                        .append(needed.cells() < 0 ? "> " + (-needed.cells()) : Integer.toString(needed.cells()))
                        .append(" | ").append(needed.blockerBelow()).append(" |\n");
                System.err.printf(Locale.ROOT, "  cells needed, %s, %s: %d (%.1f s so far)%n", strategy.label,
                        scenario.name(), needed.cells(), seconds(wallStart));
                if (config.smoke() && needed.cells() < lowerBound) {
                    problems.add("cells needed " + needed.cells() + " is not a size that fits");
                }
            }
        }

        if (config.neededSeeds().length > 0) {
            md.append(String.format(Locale.ROOT, "%n#### Cells needed with other arrival orders%n%n"
                    + "The same tenants arriving in other random orders (seed of the order and of random placement).%n%n"));
            md.append("| strategy | scenario | ").append(LongStream.of(config.neededSeeds())
                    .mapToObj(seed -> "seed " + seed).collect(Collectors.joining(" | "))).append(" |\n|---|---|")
                    .append("---:|".repeat(config.neededSeeds().length)).append("\n");
            List<double[]> orders = new ArrayList<>();
            for (long seed : config.neededSeeds()) {
                orders.add(arrivalOrder(loads, seed));
            }
            for (Scenario scenario : Scenario.values()) {
                for (Strategy strategy : Strategy.values()) {
                    md.append("| ").append(strategy.label).append(" | ").append(scenario.title);
                    for (int i = 0; i < orders.size(); i++) {
                        int n = cellsNeeded(strategy, scenario, loads, orders.get(i), config.neededSeeds()[i]).cells();
                        md.append(" | ").append(n < 0 ? "> " + (-n) : Integer.toString(n));
                    }
                    md.append(" |\n");
                    System.err.printf(Locale.ROOT, "  cells needed over seeds, %s, %s (%.1f s so far)%n",
                            strategy.label, scenario.name(), seconds(wallStart));
                }
            }
        }
        md.append(String.format(Locale.ROOT, "%nWhole simulation: %.1f s wall clock; load average at the end %s.%n",
                seconds(wallStart), loadAverage()));

        System.out.print(md);
        if (config.out() != null) {
            Path parent = config.out().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(config.out(), "# Placement simulation results\n\n" + md);
            System.err.println("placement simulation: wrote " + config.out());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("placement simulation: CHECK FAILED: " + p));
            return 1;
        }
        return 0;
    }

    // --- one run ---

    /**
     * Places every tenant of {@code arrivals} (loads, in arrival order) on {@code cellCount} empty cells.
     * With {@code stopAtFirstProblem} it stops at the first failure or overloaded cell (for the search of
     * the fleet size).
     */
    Run run(Strategy strategy, Scenario scenario, double[] arrivals, int cellCount, long seed,
            boolean stopAtFirstProblem) {
        CellState[] cells = new CellState[cellCount];
        for (int i = 0; i < cellCount; i++) {
            cells[i] = new CellState(cellId(i), config.capacityTenants(), config.capacityLoad(), false, false, true, 0,
                    0, 0);
        }
        List<CellState> view = Arrays.asList(cells); // fixed-size view: place() reads the current records
        boolean[] overloaded = new boolean[cellCount];
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] eligible = new int[cellCount];
        int next = 0; // round-robin position
        int failures = 0;
        int overloadedCells = 0;
        String firstProblem = null;
        long checksum = 1;
        long start = System.nanoTime();
        for (int k = 0; k < arrivals.length; k++) {
            double load = arrivals[k];
            TenantDemand demand =
                    new TenantDemand(PLAN, false, scenario == Scenario.KNOWN_LOAD ? load : PLAN_DEFAULT_LOAD);
            int chosen = -1;
            switch (strategy) {
                case LEAST_UTILISED -> {
                    Optional<Placement> placement = service.place(view, demand);
                    if (placement.isPresent()) {
                        chosen = cellIndex(placement.get().cellId());
                    }
                }
                case ROUND_ROBIN -> {
                    for (int step = 0; step < cellCount; step++) {
                        int i = next + step < cellCount ? next + step : next + step - cellCount;
                        if (service.isEligible(cells[i], demand)) {
                            chosen = i;
                            next = i + 1 == cellCount ? 0 : i + 1;
                            break;
                        }
                    }
                }
                case RANDOM -> {
                    // A first uniform draw, then uniform among the eligible ones: uniform over eligible cells.
                    int i = random.nextInt(cellCount);
                    if (service.isEligible(cells[i], demand)) {
                        chosen = i;
                    } else {
                        int count = 0;
                        for (int j = 0; j < cellCount; j++) {
                            if (service.isEligible(cells[j], demand)) {
                                eligible[count++] = j;
                            }
                        }
                        if (count > 0) {
                            chosen = eligible[random.nextInt(count)];
                        }
                    }
                }
            }
            if (chosen < 0) {
                failures++;
                checksum = checksum * 31 + 7;
                if (firstProblem == null) {
                    firstProblem = String.format(Locale.ROOT, "no cell for a tenant of %s units (%.2f%% of a cell)"
                                    + " arriving after %.1f%% of tenants", units(load), 100 * load / config.capacityLoad(),
                            100.0 * k / arrivals.length);
                }
                if (stopAtFirstProblem) {
                    break;
                }
                continue;
            }
            CellState after = cells[chosen].withTenant(load);
            cells[chosen] = after;
            checksum = checksum * 31 + chosen;
            if (after.load() > after.capacityLoad() && !overloaded[chosen]) {
                overloaded[chosen] = true;
                overloadedCells++;
                if (firstProblem == null) {
                    firstProblem = String.format(Locale.ROOT, "a cell over load capacity (%s units) once a tenant"
                                    + " of %s units arrived after %.1f%% of tenants", units(after.load()), units(load),
                            100.0 * k / arrivals.length);
                }
                if (stopAtFirstProblem) {
                    break;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        double maxLoad = 0;
        double totalLoad = 0;
        long maxTenants = 0;
        long totalTenants = 0;
        for (CellState cell : cells) {
            maxLoad = Math.max(maxLoad, cell.load());
            totalLoad += cell.load();
            maxTenants = Math.max(maxTenants, cell.tenants());
            totalTenants += cell.tenants();
        }
        double meanLoad = totalLoad / cellCount;
        double squares = 0;
        for (CellState cell : cells) {
            squares += (cell.load() - meanLoad) * (cell.load() - meanLoad);
        }
        return new Run(cellCount, (int) totalTenants, failures, overloadedCells, maxLoad, meanLoad,
                Math.sqrt(squares / cellCount), maxTenants, (double) totalTenants / cellCount, nanos, checksum,
                firstProblem);
    }

    /**
     * Smallest fleet on which {@code strategy} places every tenant with no cell over capacity, trying
     * every size from the lower bound up to 4x the lower bound.
     */
    Needed cellsNeeded(Strategy strategy, Scenario scenario, Loads loads, double[] arrivals, long seed) {
        int lower = lowerBound(loads);
        int upper = Math.max(lower * 4, lower + 20);
        // Sizes are tried in batches of one per core (runs are independent and deterministic; only the
        // per-fleet-size tables are timed), the smallest size that fits wins.
        int batch = Math.max(1, Runtime.getRuntime().availableProcessors());
        String blocker = "(the lower bound)";
        for (int first = lower; first <= upper; first += batch) {
            List<Run> runs = IntStream.rangeClosed(first, Math.min(upper, first + batch - 1)).parallel()
                    .mapToObj(cells -> run(strategy, scenario, arrivals, cells, seed, true)).toList();
            for (Run r : runs) {
                if (r.failures() == 0 && r.overloadedCells() == 0) {
                    return new Needed(r.cells(), blocker);
                }
                blocker = r.firstProblem();
            }
        }
        return new Needed(-upper, blocker);
    }

    int lowerBound(Loads loads) {
        long byTenants = (config.tenants() + (long) config.capacityTenants() - 1) / config.capacityTenants();
        long byLoad = (long) Math.ceil(loads.totalLoad() / config.capacityLoad() - 1e-9);
        return (int) Math.max(1, Math.max(byTenants, byLoad));
    }

    /** Lets the JIT compile the placement paths before anything is timed. */
    void warmUp(double[] arrivals) {
        double[] prefix = Arrays.copyOf(arrivals, Math.min(arrivals.length, 200_000));
        int cells = config.cellCounts()[config.cellCounts().length - 1];
        for (Strategy strategy : Strategy.values()) {
            for (Scenario scenario : Scenario.values()) {
                run(strategy, scenario, prefix, cells, config.seed(), false);
            }
        }
    }

    static String cellId(int index) {
        return String.format(Locale.ROOT, "cell-%04d", index); // zero-padded: id order = index order
    }

    static int cellIndex(String id) {
        return Integer.parseInt(id, 5, id.length(), 10);
    }

    /** Load units for people: whole units from 10 up, else two decimals. */
    static String units(double load) {
        return String.format(Locale.ROOT, load >= 10 ? "%,.0f" : "%.2f", load);
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    // --- population ---

    /** Zipf loads, heaviest first, calibrated so that the top 1% carry {@code topShare}, mean 1 unit. */
    static Loads zipfLoads(int tenants, double topShare) {
        int top = topCount(tenants);
        double[] logRank = new double[tenants];
        for (int i = 0; i < tenants; i++) {
            logRank[i] = Math.log(i + 1);
        }
        double low = 0;
        double high = 3;
        if (topShareOf(logRank, top, high) < topShare) {
            throw new IllegalArgumentException("top share " + topShare + " needs an exponent above " + high);
        }
        for (int iteration = 0; iteration < 40 && high - low > 1e-7; iteration++) {
            double mid = (low + high) / 2;
            if (topShareOf(logRank, top, mid) < topShare) {
                low = mid;
            } else {
                high = mid;
            }
        }
        double exponent = (low + high) / 2;
        double[] loads = new double[tenants];
        double sum = 0;
        for (int i = 0; i < tenants; i++) {
            loads[i] = Math.exp(-exponent * logRank[i]);
            sum += loads[i];
        }
        double scale = tenants / sum; // mean load 1 unit
        double topSum = 0;
        double total = 0;
        for (int i = 0; i < tenants; i++) {
            loads[i] *= scale;
            total += loads[i];
            if (i < top) {
                topSum += loads[i];
            }
        }
        return new Loads(loads, exponent, topSum / total, total);
    }

    /** The loads in a random arrival order: Fisher-Yates with a fixed seed. */
    static double[] arrivalOrder(Loads loads, long seed) {
        double[] order = loads.byRank().clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static int topCount(int tenants) {
        return (int) Math.max(1, Math.ceil(tenants * TOP_FRACTION));
    }

    static double topShareOf(double[] logRank, int top, double exponent) {
        double topSum = 0;
        double sum = 0;
        for (int i = 0; i < logRank.length; i++) {
            double w = Math.exp(-exponent * logRank[i]);
            sum += w;
            if (i < top) {
                topSum += w;
            }
        }
        return topSum / sum;
    }

    // --- report ---

    String header(Loads loads) {
        StringBuilder s = new StringBuilder();
        s.append("Machine: ").append(machine()).append("  \n");
        s.append("Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm 'UTC'"))).append("; load average at start ").append(loadAverage())
                .append(" (other work on the machine slows the timings)  \n");
        s.append(String.format(Locale.ROOT,
                "Tenants: %,d with Zipf load (rank r carries c/r^s): s = %.4f, found by bisection so that the top 1%%"
                        + " (%,d tenants) carry %.2f%% of the load (target %.0f%%); mean 1 load unit, heaviest tenant"
                        + " %,.0f units (%.2f%% of all load, %.0f%% of a cell's load capacity). Random arrival order,"
                        + " seed %d; tenants never move.  %n",
                config.tenants(), loads.exponent(), topCount(config.tenants()), loads.topShare() * 100,
                config.topShare() * 100, loads.heaviest(), 100 * loads.heaviest() / loads.totalLoad(),
                100 * loads.heaviest() / config.capacityLoad(), config.seed()));
        s.append(String.format(Locale.ROOT,
                "Cells: equal, %,d tenants and %,d load units each; shared, healthy, not draining; database"
                        + " utilisation not modelled.%n%n",
                config.capacityTenants(), config.capacityLoad()));
        s.append("LU = least-utilised (PlacementService.place over the whole fleet, for every tenant), RR ="
                + " round-robin, rnd = random; RR and rnd skip cells that are not eligible. max/mean = most loaded"
                + " cell / mean over all cells (1.000 = perfectly even). bound = the best max/mean load any"
                + " placement could reach, max(1, heaviest tenant / mean cell load). CV = standard deviation /"
                + " mean of cell load (the spread of the whole fleet, not only its worst cell). Time = placing"
                + " every tenant, state updates included. Failures = tenants that could not be placed.\n");
        return s.toString();
    }

    static String tableHeader(Scenario scenario) {
        boolean overloads = scenario == Scenario.PLAN_DEFAULT;
        return "| cells | bound | load max/mean LU | RR | rnd | load CV LU | RR | rnd | tenants max/mean LU | RR | rnd"
                + " | LU ms | LU ns/placement | RR ms | rnd ms | failures LU / RR / rnd"
                + (overloads ? " | cells over load capacity LU / RR / rnd" : "") + " |\n"
                + "|---:".repeat(overloads ? 17 : 16) + "|\n";
    }

    String row(Scenario scenario, Loads loads, Run ours, Run roundRobin, Run random) {
        double meanCellLoad = loads.totalLoad() / ours.cells();
        String s = String.format(Locale.ROOT,
                "| %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %,d | %,.0f | %,d | %,d"
                        + " | %,d / %,d / %,d",
                ours.cells(), Math.max(1, loads.heaviest() / meanCellLoad), ours.loadRatio(), roundRobin.loadRatio(),
                random.loadRatio(), ours.loadCv(), roundRobin.loadCv(), random.loadCv(), ours.tenantRatio(),
                roundRobin.tenantRatio(), random.tenantRatio(), ours.nanos() / 1_000_000,
                (double) ours.nanos() / config.tenants(), roundRobin.nanos() / 1_000_000, random.nanos() / 1_000_000,
                ours.failures(), roundRobin.failures(), random.failures());
        if (scenario == Scenario.PLAN_DEFAULT) {
            s += String.format(Locale.ROOT, " | %d / %d / %d", ours.overloadedCells(), roundRobin.overloadedCells(),
                    random.overloadedCells());
        }
        return s + " |\n";
    }

    /** The 1, 5 and 15 minute load averages of the machine, or "n/a". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            double average = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return average < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", average);
        }
    }

    static String machine() {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim() + ", ").orElse("");
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the model out
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format(Locale.ROOT, "%s%d cores, %.1f GiB memory, max heap %.1f GiB, %s %s (%s), %s %s",
                cpu, Runtime.getRuntime().availableProcessors(), memory / (1024.0 * 1024 * 1024),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024), System.getProperty("java.vm.name"),
                Runtime.version(), System.getProperty("java.vendor"), System.getProperty("os.name"),
                System.getProperty("os.arch"));
    }

    // --- arguments ---

    static Config parse(String[] args) {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int tenants = smoke ? 20_000 : 2_000_000;
        int[] cells = smoke ? new int[] {4} : new int[] {40, 80, 120, 160, 200};
        int capacityTenants = smoke ? 10_000 : 50_000;
        long capacityLoad = smoke ? 10_000 : 50_000;
        double topShare = 0.40;
        long seed = 42;
        long[] neededSeeds = {};
        Path out = smoke ? null : Path.of("bench/placement/results.md");
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (arg.equals("--smoke")) {
                continue;
            } else if (arg.startsWith("--tenants=")) {
                tenants = Integer.parseInt(value);
            } else if (arg.startsWith("--cells=")) {
                cells = Arrays.stream(value.split(",")).mapToInt(v -> Integer.parseInt(v.trim())).sorted().toArray();
            } else if (arg.startsWith("--cap-tenants=")) {
                capacityTenants = Integer.parseInt(value);
            } else if (arg.startsWith("--cap-load=")) {
                capacityLoad = Long.parseLong(value);
            } else if (arg.startsWith("--top-share=")) {
                topShare = Double.parseDouble(value);
            } else if (arg.startsWith("--seed=")) {
                seed = Long.parseLong(value);
            } else if (arg.startsWith("--needed-seeds=")) {
                neededSeeds = Arrays.stream(value.split(",")).mapToLong(v -> Long.parseLong(v.trim())).toArray();
            } else if (arg.startsWith("--out=")) {
                out = Path.of(value);
            } else if (arg.equals("--no-out")) {
                out = null;
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (see the PlacementSimulation javadoc)");
            }
        }
        if (tenants < 1 || cells.length == 0 || cells[0] < 1 || capacityTenants < 1 || capacityLoad < 1
                || !(topShare > TOP_FRACTION && topShare < 1)) {
            throw new IllegalArgumentException("tenants, cells and capacities must be positive, top share in (0.01, 1)");
        }
        return new Config(tenants, cells, capacityTenants, capacityLoad, topShare, seed, neededSeeds, smoke, out);
    }
}
