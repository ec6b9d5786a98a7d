package gateway.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import platform.HostNames;
import tenancy.TenantRoute;

/**
 * The gateway's per-request host lookup ({@link RouteTable#route}) with a production-sized table, and
 * the heap the table retains per route. Run by {@code bench/gateway/lookup.sh} (see
 * {@code bench/gateway/README.md}); it is a JMH benchmark in the test sources, not a test.
 *
 * <p><b>Routes.</b> {@code routes} routes (JMH parameter, default 2,000,000). Nine in ten are platform
 * hosts {@code shop-<n>.shops.localhost} of tenant {@code shop-<n>}; every tenth is a custom domain
 * ({@code www.store-<n>.example.com} and other TLDs) of the tenant before it, as the control plane
 * publishes one route per host. Tenants are spread over {@value #CELLS} cells. Each route has its own
 * host, handle and tenant-id instances, as records deserialised one by one from the route topic have.
 * The cell id, cell base URL and status are the same {@code String} instance for every route of a cell
 * ("interned"). <b>Note:</b> the real feed ({@code RouteFeed}, Jackson {@code treeToValue}) does not
 * intern them today, so each route carries its own copies; {@link #main} measures the heap both ways.
 *
 * <p><b>Probes.</b> Lookups take their host from pre-generated arrays of {@value #PROBES} hosts, chosen
 * uniformly at random (fixed seed) and built separately from the keys: equal strings, never the same
 * instances, so every hit pays a full {@code String.equals}. A {@code String} caches its hash after
 * the first {@code hashCode()}, so after warm-up {@link #presentHost} no longer hashes its probe; the
 * {@code *FreshString} benchmarks build a new {@code String} per lookup (as a request does), and
 * {@link #freshStringOnly} shows what that construction alone costs. {@link #normaliseAndRoute} is the
 * gateway's real per-request path: {@code HostNames.normalise} of the raw Host header, then the lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HostLookupBenchmark {

    static final int CELLS = 100;
    static final int PROBES = 1 << 16;
    static final int CUSTOM_DOMAIN_EVERY = 10;
    static final String PLATFORM_DOMAIN = "shops.localhost";
    static final String[] TLDS = {".com", ".co.uk", ".de", ".shop"};
    static final long SEED = 42;

    /** The host of route {@code i}: a platform host, or (every tenth) a custom domain. */
    static String host(int i) {
        return i % CUSTOM_DOMAIN_EVERY == CUSTOM_DOMAIN_EVERY - 1
                ? "www.store-" + i + ".example" + TLDS[(i / CUSTOM_DOMAIN_EVERY) % TLDS.length]
                : "shop-" + i + "." + PLATFORM_DOMAIN;
    }

    /** The handle of the tenant that owns route {@code i} (a custom domain belongs to the route before it). */
    static String handle(int i) {
        return "shop-" + (i % CUSTOM_DOMAIN_EVERY == CUSTOM_DOMAIN_EVERY - 1 ? i - 1 : i);
    }

    /** A host that no route has: beyond the table, same shapes. */
    static String absentHost(int i, int routes) {
        return host(routes + i);
    }

    /** The Host header a browser might send for route {@code i}: mixed case, sometimes a port or a trailing dot. */
    static String rawHeader(int i) {
        String host = host(i);
        StringBuilder mixed = new StringBuilder(host.length() + 6);
        boolean upper = true;
        for (int c = 0; c < host.length(); c++) {
            char ch = host.charAt(c);
            mixed.append(upper ? Character.toUpperCase(ch) : ch);
            upper = ch == '.' || ch == '-';
        }
        return switch (i % 3) {
            case 0 -> mixed + ":8080";
            case 1 -> mixed.toString();
            default -> mixed + ".";
        };
    }

    /** The cells: id, base URL and status strings shared by all routes of a cell. */
    static final class Cells {
        final String[] ids = new String[CELLS];
        final String[] urls = new String[CELLS];
        final String active = new String("active".getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);

        Cells() {
            for (int c = 0; c < CELLS; c++) {
                ids[c] = String.format(Locale.ROOT, "cell-%03d", c + 1);
                urls[c] = String.format(Locale.ROOT, "http://10.%d.%d.10:8080", (c + 1) / 256, (c + 1) % 256);
            }
        }
    }

    /**
     * The route of index {@code i}, freshly built. {@code interned}: cell id, base URL and status are the
     * shared instances; otherwise each route gets its own copies (what deserialising JSON produces).
     */
    static TenantRoute route(int i, Cells cells, SplittableRandom random, boolean interned) {
        int cell = Math.floorMod(handle(i).hashCode(), CELLS);
        String cellId = interned ? cells.ids[cell] : copy(cells.ids[cell]);
        String url = interned ? cells.urls[cell] : copy(cells.urls[cell]);
        String status = interned ? cells.active : copy(cells.active);
        int rps = i % 20 == 0 ? 200 : 50;
        return new TenantRoute(host(i), new UUID(random.nextLong(), random.nextLong()), handle(i), cellId, url,
                status, rps, rps * 2);
    }

    private static String copy(String s) {
        return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
    }

    /** Fills a route table with {@code routes} routes. */
    static RouteTable fill(int routes, boolean interned) {
        Cells cells = new Cells();
        SplittableRandom random = new SplittableRandom(SEED);
        RouteTable table = new RouteTable(); // its injected fields serve only the snapshot, not apply/route
        for (int i = 0; i < routes; i++) {
            table.apply(route(i, cells, random, interned));
        }
        return table;
    }

    // ------------------------------------------------------------------ JMH states

    /** The probe hosts, shared by all benchmarks of a run. */
    @State(Scope.Benchmark)
    public static class Probes {

        /** Routes in the table (the script's --smoke passes a smaller number). */
        @Param("2000000")
        public int routes;

        String[] present;
        String[] absent;
        String[] rawHeaders;
        byte[][] presentBytes;

        @Setup(Level.Trial)
        public void generate() {
            SplittableRandom random = new SplittableRandom(SEED + 1);
            present = new String[PROBES];
            absent = new String[PROBES];
            rawHeaders = new String[PROBES];
            presentBytes = new byte[PROBES][];
            for (int p = 0; p < PROBES; p++) {
                int i = random.nextInt(routes);
                present[p] = new String(host(i).toCharArray()); // equal to the key, another instance
                presentBytes[p] = present[p].getBytes(StandardCharsets.ISO_8859_1);
                absent[p] = absentHost(random.nextInt(routes), routes);
                rawHeaders[p] = rawHeader(i);
            }
        }
    }

    /** The gateway's route table, filled. */
    @State(Scope.Benchmark)
    public static class Table {

        RouteTable table;

        @Setup(Level.Trial)
        public void fill(Probes probes) {
            long start = System.nanoTime();
            table = HostLookupBenchmark.fill(probes.routes, true);
            if (table.size() != probes.routes) {
                throw new IllegalStateException("table has " + table.size() + " routes, expected " + probes.routes);
            }
            for (String host : probes.present) {
                if (table.route(host).isEmpty()) {
                    throw new IllegalStateException("probe " + host + " is not in the table");
                }
            }
            for (String host : probes.absent) {
                if (table.route(host).isPresent()) {
                    throw new IllegalStateException("absent probe " + host + " is in the table");
                }
            }
            for (String raw : probes.rawHeaders) {
                if (table.route(HostNames.normalise(raw).orElse("")).isEmpty()) {
                    throw new IllegalStateException("raw header " + raw + " does not normalise to a known host");
                }
            }
            System.out.printf(Locale.ROOT, "%n[setup] %,d routes in the RouteTable in %,d ms%n",
                    table.size(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The baseline: a plain {@code HashMap<String, String>} with the same keys (host -> cell id). */
    @State(Scope.Benchmark)
    public static class Baseline {

        HashMap<String, String> map;

        @Setup(Level.Trial)
        public void fill(Probes probes) {
            Cells cells = new Cells();
            map = new HashMap<>();
            for (int i = 0; i < probes.routes; i++) {
                map.put(host(i), cells.ids[Math.floorMod(handle(i).hashCode(), CELLS)]);
            }
            for (String host : probes.present) {
                if (!map.containsKey(host)) {
                    throw new IllegalStateException("probe " + host + " is not in the map");
                }
            }
        }
    }

    // ------------------------------------------------------------------ benchmarks

    private int next;

    private int nextProbe() {
        return next = (next + 1) & (PROBES - 1);
    }

    /** A known host (probe hash cached after warm-up): the table's get and a full equals. */
    @Benchmark
    public TenantRoute presentHost(Table table, Probes probes) {
        return table.table.route(probes.present[nextProbe()]).orElse(null);
    }

    /** An unknown host: the miss path (unknown shops, scanners). */
    @Benchmark
    public TenantRoute absentHost(Table table, Probes probes) {
        return table.table.route(probes.absent[nextProbe()]).orElse(null);
    }

    /** A known host in a new String (hash computed every time), as each request brings its own. */
    @Benchmark
    public TenantRoute presentHostFreshString(Table table, Probes probes) {
        return table.table.route(new String(probes.presentBytes[nextProbe()], StandardCharsets.ISO_8859_1)).orElse(null);
    }

    /** Only building that new String: subtract from {@link #presentHostFreshString}. */
    @Benchmark
    public String freshStringOnly(Probes probes) {
        return new String(probes.presentBytes[nextProbe()], StandardCharsets.ISO_8859_1);
    }

    /** The whole per-request path: normalise the raw Host header, then look it up. */
    @Benchmark
    public TenantRoute normaliseAndRoute(Table table, Probes probes) {
        String host = HostNames.normalise(probes.rawHeaders[nextProbe()]).orElse("");
        return host.isEmpty() ? null : table.table.route(host).orElse(null);
    }

    /** Only normalising the raw Host header (no table). */
    @Benchmark
    public String normaliseOnly(Probes probes) {
        return HostNames.normalise(probes.rawHeaders[nextProbe()]).orElse("");
    }

    /** Baseline: the same probes in a plain HashMap (probe hash cached, like {@link #presentHost}). */
    @Benchmark
    public String baselineHashMap(Baseline baseline, Probes probes) {
        return baseline.map.get(probes.present[nextProbe()]);
    }

    /** Baseline with a new String per lookup, like {@link #presentHostFreshString}. */
    @Benchmark
    public String baselineHashMapFreshString(Baseline baseline, Probes probes) {
        return baseline.map.get(new String(probes.presentBytes[nextProbe()], StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------------ memory per route

    /**
     * Heap retained per route, measured as used heap after a forced, settled GC with the filled table
     * reachable minus the same before filling. Prints one line per variant for the script:
     * {@code MEMORY variant=interned routes=N bytes=B perRoute=X}.
     *
     * <p>Arguments: {@code --routes=N} (default 2,000,000).
     */
    public static void main(String[] args) throws InterruptedException {
        int routes = 2_000_000;
        for (String arg : args) {
            if (arg.startsWith("--routes=")) {
                routes = Integer.parseInt(arg.substring("--routes=".length()).replace("_", "").replace(",", ""));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (want --routes=N)");
            }
        }
        System.out.printf(Locale.ROOT, "JVM: %s %s, max heap %,d MiB, GC %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
        System.out.println("JVM flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        // Fill a small table once per variant first, so that one-time heap (loaded classes' constants,
        // string-concatenation bootstraps, JIT-related caches) is already in the "before" reading
        Reference.reachabilityFence(fill(Math.min(routes, 50_000), true));
        Reference.reachabilityFence(fill(Math.min(routes, 50_000), false));
        for (boolean interned : new boolean[] {true, false}) {
            long before = settledUsedHeap();
            RouteTable table = fill(routes, interned);
            long after = settledUsedHeap();
            if (table.size() != routes) {
                throw new IllegalStateException("table has " + table.size() + " routes, expected " + routes);
            }
            long bytes = after - before;
            System.out.printf(Locale.ROOT, "MEMORY variant=%s routes=%d bytes=%d perRoute=%.1f%n",
                    interned ? "interned" : "copies", routes, bytes, (double) bytes / routes);
            Reference.reachabilityFence(table);
        }
    }

    /**
     * Used heap after full GCs, once it has settled: {@code System.gc()} until two readings in a row
     * differ by less than 64 KiB (at least 3 and at most 20 rounds, 100 ms apart).
     */
    static long settledUsedHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int round = 1; round <= 20; round++) {
            System.gc();
            Thread.sleep(100);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (round >= 3 && Math.abs(used - previous) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
