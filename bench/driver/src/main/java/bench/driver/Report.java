package bench.driver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run directory (one JSON file per measurement, written by the other sub-commands and by
 * bench/run) into results.json, results.md and PNG charts.
 */
final class Report {

    private final Path dir;
    private final JsonObject results = new JsonObject();
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> headline = new ArrayList<>();

    private Report(Path dir) {
        this.dir = dir;
    }

    static int write(Path dir) throws IOException {
        Report r = new Report(dir);
        r.build();
        return 0;
    }

    JsonObject read(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? new JsonObject(Files.readString(p)) : null;
    }

    static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    static String ratio(double a, double b) {
        return b > 0 ? String.format(Locale.ROOT, "%.2f", a / b) : "–";
    }

    static String ms(JsonObject lat, String key) {
        return lat == null || !lat.containsKey(key) ? "–" : f(lat.getDouble(key), lat.getDouble(key) < 10 ? 2 : 1);
    }

    void build() throws IOException {
        JsonObject meta = read("meta.json");
        results.put("meta", meta);
        String body = scenarios();
        md.append("# Benchmark results").append(meta != null && "smoke".equals(meta.getString("mode")) ? " (SMOKE RUN: tiny sizes, not results)" : "")
                .append("\n\n");
        if (meta != null) {
            JsonObject m = meta.getJsonObject("machine", new JsonObject());
            JsonObject v = meta.getJsonObject("versions", new JsonObject());
            md.append("Run ").append(meta.getString("startedAt", "?")).append(", mode `").append(meta.getString("mode", "?"))
                    .append("`, commit `").append(meta.getString("commit", "?")).append("`, ")
                    .append(meta.getString("wallClock", "?")).append(" in all.  \n");
            md.append("Machine: ").append(m.getString("cpu", "?")).append(", ").append(m.getValue("cores", "?")).append(" cores, ")
                    .append(m.getValue("memoryGiB", "?")).append(" GiB memory, ").append(m.getString("os", "?"))
                    .append("; load average before the run ").append(m.getString("loadBefore", "?")).append(".  \n");
            md.append("Versions: ");
            List<String> vs = new ArrayList<>();
            v.forEach(e -> vs.add(e.getKey() + " " + e.getValue()));
            md.append(String.join(", ", vs)).append(".  \n");
            md.append("Everything (load driver, gateway, cells, control node, PostgreSQL, Redis, Kafka) shares these cores: "
                    + "compare the ratios, which are measured side by side in this run, rather than the absolute numbers.\n\n");
        }
        md.append("## Summary\n\n| # | scenario | measure | result | against | ratio |\n|---|---|---|---:|---:|---:|\n");
        for (String[] row : headline) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append("\n").append(body);
        JsonArray timings = new JsonArray();
        Path t = dir.resolve("timings.tsv");
        if (Files.exists(t)) {
            md.append("## Time per step\n\n| step | seconds | outcome |\n|---|---:|---|\n");
            for (String line : Files.readAllLines(t)) {
                String[] c = line.split("\t");
                if (c.length >= 3) {
                    md.append("| ").append(c[0]).append(" | ").append(c[1]).append(" | ").append(c[2]).append(" |\n");
                    timings.add(new JsonObject().put("step", c[0]).put("seconds", Double.parseDouble(c[1])).put("outcome", c[2]));
                }
            }
            md.append('\n');
        }
        results.put("timings", timings);
        JsonArray head = new JsonArray();
        headline.forEach(r -> head.add(new JsonObject().put("scenario", r[1]).put("measure", r[2]).put("result", r[3])
                .put("against", r[4]).put("ratio", r[5])));
        results.put("summary", head);
        Files.writeString(dir.resolve("results.json"), results.encodePrettily());
        Files.writeString(dir.resolve("results.md"), md.toString());
        System.err.println("wrote " + dir.resolve("results.md") + " and results.json");
    }

    String scenarios() throws IOException {
        StringBuilder b = new StringBuilder();
        read1(b);
        checkout2(b);
        provisioning3(b);
        lookup4(b);
        noisy5(b);
        unlimited5b(b);
        searches5c(b);
        scale6(b);
        footprint7(b);
        cheapRequests8(b);
        purge9(b);
        flashSale10(b);
        lifecycle11(b);
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------

    void read1(StringBuilder b) throws IOException {
        String[] targets = {"gateway", "direct", "ping", "trivial"};
        String[] labels = {"storefront read through the gateway", "storefront read straight to the cell", "trivial JSON endpoint of the cell (framework ceiling)",
            "trivial server in a process of its own (the driver's own ceiling)"};
        JsonObject s = new JsonObject();
        Map<String, JsonObject> ramps = new LinkedHashMap<>();
        Map<String, JsonObject> fixed = new LinkedHashMap<>();
        for (String t : targets) {
            JsonObject r = read("s1-ramp-" + t + ".json");
            if (r != null) {
                ramps.put(t, r);
            }
            JsonObject fx = read("s1-fixed-" + t + ".json");
            if (fx != null) {
                fixed.put(t, fx.getJsonObject("streams").getJsonObject(t));
            }
        }
        JsonObject pg = read("s1-pgbench.json");
        if (ramps.isEmpty() && pg == null) {
            return;
        }
        s.put("ramps", new JsonObject(new LinkedHashMap<>(ramps))).put("fixed", new JsonObject(new LinkedHashMap<>(fixed))).put("pgbench", pg);
        JsonObject fallbacks = read("s1-fallbacks.json");
        if (fallbacks != null) {
            // reads of the ramps the cell's cache could not answer (served from the database instead)
            long count = fallbacks.getLong("after") - fallbacks.getLong("before");
            s.put("cacheFallbacksDuringRamps", count);
            headline.add(new String[] {"1", "storefront read", "cache fallbacks of the cell during the ramps (reads served from the database)",
                Long.toString(count), "–", "–"});
        }
        b.append("## 1. Storefront read: gateway, cell, framework ceiling, database ceiling\n\n");
        b.append("Open-loop constant-rate steps, the targets' steps interleaved (gateway, direct, ping, trivial at one rate, then the next), "
                + "each ramp going on until its target fails; the sustainable rate is the highest step whose p99 stayed under ")
                .append(ramps.isEmpty() ? "50" : f(ramps.values().iterator().next().getDouble("limitMs"), 0))
                .append(" ms with every answer 2xx and nothing dropped (a failing step is run once more before a target leaves the ramp).\n\n");
        b.append("| target | max sustainable req/s | p99 at that rate (ms) | first failing step |\n|---|---:|---:|---|\n");
        Map<String, Double> max = new LinkedHashMap<>();
        for (int i = 0; i < targets.length; i++) {
            JsonObject r = ramps.get(targets[i]);
            if (r == null) {
                continue;
            }
            max.put(targets[i], r.getDouble("maxSustainable"));
            JsonObject best = r.getJsonObject("bestStep");
            JsonArray steps = r.getJsonArray("steps");
            JsonObject last = steps.getJsonObject(steps.size() - 1);
            String failing = last.getBoolean("pass") ? "none (ramp ended at its top rate)" : f(last.getDouble("rate"), 0) + "/s: p99 "
                    + ms(last.getJsonObject("latencyMs"), "p99") + " ms, " + last.getLong("errors") + " errors"
                    + (last.getInteger("attempt", 1) > 1 ? " (twice)" : "");
            b.append("| ").append(labels[i]).append(" | ").append(f(r.getDouble("maxSustainable"), 0)).append(" | ")
                    .append(best == null ? "–" : ms(best.getJsonObject("latencyMs"), "p99")).append(" | ").append(failing).append(" |\n");
        }
        double pgTps = pg == null ? 0 : pg.getDouble("tps");
        if (pg != null) {
            b.append("| `pgbench -S` on the same PostgreSQL (").append(pg.getValue("clients")).append(" clients, closed loop, ")
                    .append(pg.getValue("seconds")).append(" s, scale ").append(pg.getValue("scale")).append(") | ")
                    .append(f(pgTps, 0)).append(" TPS | avg ").append(pg.getValue("latencyAvgMs")).append(" | – |\n");
        }
        double gw = max.getOrDefault("gateway", 0.0);
        double direct = max.getOrDefault("direct", 0.0);
        double ping = max.getOrDefault("ping", 0.0);
        double trivial = max.getOrDefault("trivial", 0.0);
        b.append("\nRatios: gateway/direct **").append(ratio(gw, direct)).append("**, gateway/trivial endpoint **").append(ratio(gw, ping))
                .append("**, direct/trivial endpoint **").append(ratio(direct, ping)).append("**, direct/pgbench -S TPS **")
                .append(ratio(direct, pgTps)).append("**.");
        if (trivial > 0) {
            b.append(" The driver's own ceiling (").append(f(trivial, 0)).append(" req/s against a trivial server) is ")
                    .append(trivial > Math.max(ping, Math.max(direct, gw)) ? "above every platform figure: the driver did not limit them"
                            : "not above every platform figure: those figures are the driver's, not the platform's").append(".");
        }
        b.append("\n\n");
        headline.add(new String[] {"1", "storefront read", "max req/s at p99 < 50 ms, gateway vs direct", f(gw, 0), f(direct, 0), ratio(gw, direct)});
        headline.add(new String[] {"1", "storefront read", "max req/s at p99 < 50 ms, gateway vs trivial endpoint", f(gw, 0), f(ping, 0), ratio(gw, ping)});
        headline.add(new String[] {"1", "storefront read", "max req/s, direct vs trivial endpoint", f(direct, 0), f(ping, 0), ratio(direct, ping)});
        if (trivial > 0) {
            headline.add(new String[] {"1", "storefront read", "max req/s, trivial endpoint vs the driver's own ceiling", f(ping, 0), f(trivial, 0),
                ratio(ping, trivial)});
        }
        if (pg != null) {
            headline.add(new String[] {"1", "storefront read", "max req/s direct vs pgbench -S TPS", f(direct, 0), f(pgTps, 0), ratio(direct, pgTps)});
        }
        s.put("maxSustainable", new JsonObject().put("gateway", gw).put("direct", direct).put("ping", ping).put("pgbenchTps", pgTps)
                        .put("driverCeiling", trivial))
                .put("ratios", new JsonObject().put("gatewayOverDirect", gw / Math.max(1e-9, direct))
                        .put("gatewayOverPing", gw / Math.max(1e-9, ping))
                        .put("directOverPing", direct / Math.max(1e-9, ping))
                        .put("pingOverDriverCeiling", trivial > 0 ? ping / trivial : null))
                .put("driverNotTheLimit", trivial > 0 ? trivial > Math.max(ping, Math.max(direct, gw)) : null);
        closedLoop1(b, s);
        if (!fixed.isEmpty()) {
            JsonObject any = fixed.values().iterator().next();
            b.append("Latency at a fixed ").append(f(any.getDouble("rate"), 0)).append(" req/s for ").append(any.getValue("durationS"))
                    .append(" s each (ms, from the intended start of each request):\n\n");
            b.append("| target | answers | 2xx | errors | p50 | p90 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            Map<String, JsonArray> dist = new LinkedHashMap<>();
            for (Map.Entry<String, JsonObject> e : fixed.entrySet()) {
                JsonObject lat = e.getValue().getJsonObject("latencyMs");
                b.append("| ").append(e.getKey()).append(" | ").append(e.getValue().getLong("completed")).append(" | ")
                        .append(e.getValue().getLong("ok")).append(" | ").append(e.getValue().getLong("errors")).append(" | ")
                        .append(ms(lat, "p50")).append(" | ").append(ms(lat, "p90")).append(" | ").append(ms(lat, "p99")).append(" | ")
                        .append(ms(lat, "p999")).append(" | ").append(ms(lat, "max")).append(" |\n");
                dist.put(e.getKey(), e.getValue().getJsonArray("distribution"));
            }
            Charts.percentiles(dir.resolve("s1-latency.png"), "Storefront read: latency by percentile at " + f(any.getDouble("rate"), 0) + " req/s",
                    "open loop, latency from each request's intended start; the last point of each line is the maximum", dist, 50.0);
            b.append("\n![latency percentiles](s1-latency.png)\n\n");
        }
        // p99 against offered rate, and answers per second over the ramps
        Map<String, double[][]> p99 = Charts.map();
        Map<String, double[][]> tput = Charts.map();
        for (Map.Entry<String, JsonObject> e : ramps.entrySet()) {
            JsonArray steps = e.getValue().getJsonArray("steps");
            double[][] pts = new double[steps.size()][];
            List<double[]> tp = new ArrayList<>();
            int offset = 0;
            for (int i = 0; i < steps.size(); i++) {
                JsonObject st = steps.getJsonObject(i);
                pts[i] = new double[] {st.getDouble("rate"), Math.max(0.01, st.getJsonObject("latencyMs").getDouble("p99", 0.01))};
                if (i + 1 < steps.size() && steps.getJsonObject(i + 1).getDouble("rate").equals(st.getDouble("rate"))) {
                    pts[i] = null; // a failed first attempt: the chart shows the retry
                }
                JsonArray ps = st.getJsonArray("perSecond");
                int n = Math.min(ps.size(), st.getInteger("durationS"));
                for (int k = 0; k < n; k++) {
                    tp.add(new double[] {offset + k, ps.getJsonObject(k).getLong("ok")});
                }
                offset += st.getInteger("durationS");
            }
            p99.put(e.getKey(), java.util.Arrays.stream(pts).filter(java.util.Objects::nonNull).toArray(double[][]::new));
            tput.put(e.getKey(), tp.toArray(new double[0][]));
        }
        if (!ramps.isEmpty()) {
            Charts.xy(dir.resolve("s1-ramp-p99.png"), "Storefront read: p99 against offered rate", "each point: one constant-rate step",
                    "offered rate (req/s)", "p99 latency (ms, log scale)", p99, 50.0);
            Charts.overTime(dir.resolve("s1-throughput.png"), "Storefront read: 2xx answers per second during the ramps",
                    "the steps of each ramp one after the other", "2xx answers per second", tput, null, null);
            b.append("![p99 against rate](s1-ramp-p99.png)\n\n![throughput over time](s1-throughput.png)\n\n");
        }
        results.put("s1_read", s);
    }

    /** Scenario 1's closed-loop figures (s1-closed.json): throughput and latency per target at a fixed number of connections. */
    void closedLoop1(StringBuilder b, JsonObject s) throws IOException {
        JsonObject closed = read("s1-closed.json");
        if (closed == null) {
            return;
        }
        JsonObject targets = closed.getJsonObject("targets");
        b.append("Closed loop (each of ").append(closed.getValue("connections")).append(" connections sends its next request when the "
                + "previous answer arrived, ").append(closed.getValue("seconds")).append(" s per target, one target after the other):\n\n");
        b.append("| target | 2xx/s | errors | p50 (ms) | p99 (ms) | p99.9 (ms) |\n|---|---:|---:|---:|---:|---:|\n");
        JsonObject summary = new JsonObject();
        for (String t : targets.fieldNames()) {
            JsonObject r = targets.getJsonObject(t);
            JsonObject lat = r.getJsonObject("latencyMs");
            b.append("| ").append(t).append(" | ").append(f(r.getDouble("throughput"), 0)).append(" | ").append(r.getLong("errors"))
                    .append(" | ").append(ms(lat, "p50")).append(" | ").append(ms(lat, "p99")).append(" | ").append(ms(lat, "p999")).append(" |\n");
            summary.put(t, new JsonObject().put("throughput", r.getDouble("throughput")).put("errors", r.getLong("errors"))
                    .put("p50Ms", lat.getDouble("p50")).put("p99Ms", lat.getDouble("p99")));
        }
        double ping = throughput(targets, "ping");
        double gw = throughput(targets, "gateway");
        double direct = throughput(targets, "direct");
        double trivial = throughput(targets, "trivial");
        b.append("\nRatios (closed loop): gateway/trivial endpoint **").append(ratio(gw, ping)).append("**, direct/trivial endpoint **")
                .append(ratio(direct, ping)).append("**, trivial endpoint/driver's own ceiling **").append(ratio(ping, trivial)).append("**.\n\n");
        String conns = closed.getValue("connections") + " connections";
        headline.add(new String[] {"1", "storefront read", "closed loop at " + conns + ", req/s gateway vs trivial endpoint", f(gw, 0), f(ping, 0), ratio(gw, ping)});
        headline.add(new String[] {"1", "storefront read", "closed loop at " + conns + ", req/s direct vs trivial endpoint", f(direct, 0), f(ping, 0), ratio(direct, ping)});
        if (targets.containsKey("gateway")) {
            headline.add(new String[] {"1", "storefront read", "closed loop at " + conns + ", gateway p99 (ms)",
                ms(targets.getJsonObject("gateway").getJsonObject("latencyMs"), "p99"), "–", "–"});
        }
        s.put("closedLoop", summary.put("connections", closed.getValue("connections")).put("ratios", new JsonObject()
                .put("gatewayOverPing", gw / Math.max(1e-9, ping)).put("directOverPing", direct / Math.max(1e-9, ping))
                .put("pingOverDriverCeiling", trivial > 0 ? ping / trivial : null)));
    }

    private static double throughput(JsonObject targets, String name) {
        JsonObject t = targets.getJsonObject(name);
        return t == null ? 0 : t.getDouble("throughput", 0.0);
    }

    void checkout2(StringBuilder b) throws IOException {
        JsonObject c = read("s2-checkout.json");
        if (c == null) {
            return;
        }
        results.put("s2_checkout", c);
        JsonObject best = c.getJsonObject("bestStep");
        b.append("## 2. Checkout\n\nEach order: create a cart, add a line (1-3 units of one of several variants), check out with an "
                + "Idempotency-Key; latency from the order's intended start to the checkout's answer. Through the gateway.\n\n");
        b.append("| measure | value |\n|---|---:|\n");
        b.append("| max sustainable orders/s (p99 < ").append(f(c.getDouble("limitMs"), 0)).append(" ms, no errors) | ")
                .append(f(c.getDouble("maxSustainable"), 0)).append(" |\n");
        if (best != null) {
            b.append("| p50 / p99 at that rate (ms) | ").append(ms(best.getJsonObject("latencyMs"), "p50")).append(" / ")
                    .append(ms(best.getJsonObject("latencyMs"), "p99")).append(" |\n");
        }
        JsonObject o = c.getJsonObject("orders");
        b.append("| orders placed during the ramp (units) | ").append(o.getLong("placed")).append(" (").append(o.getLong("units")).append(") |\n");
        JsonObject so = c.getJsonObject("sellout");
        b.append("| sell-out: attempts / placed / 409 out of stock, for a stock of | ").append(so.getLong("attempts")).append(" / ")
                .append(so.getLong("placed")).append(" / ").append(so.getLong("soldOut409")).append(", ").append(so.getInteger("stock")).append(" |\n");
        b.append("| stock consistent at the end (initial - final = units of the 201 orders, per variant; sell-out ends at 0) | **")
                .append(c.getBoolean("consistent") ? "yes" : "NO: " + c.getJsonArray("problems").encode()).append("** |\n\n");
        JsonObject tpcb = read("s2-pgbench-tpcb.json");
        String vsTpcb = "–";
        String tpcbTps = "–";
        if (tpcb != null) {
            double tps = tpcb.getDouble("tps");
            double ratio = c.getDouble("maxSustainable") / tps;
            c.put("pgbenchTpcb", tpcb).put("ratioToPgbenchTpcb", Math.round(ratio * 1000) / 1000.0);
            tpcbTps = f(tps, 0);
            vsTpcb = ratio(c.getDouble("maxSustainable"), tps);
            b.append("Baseline of the same run: `pgbench` TPC-B (the default script: three updates, a select and an insert per "
                    + "transaction) on the same PostgreSQL, ").append(tpcb.getValue("clients")).append(" clients, closed loop, ")
                    .append(tpcb.getValue("seconds")).append(" s, scale ").append(tpcb.getValue("scale")).append(": **")
                    .append(tpcbTps).append(" TPS**; max sustainable orders/s / TPC-B TPS = **").append(vsTpcb).append("**.\n\n");
        }
        headline.add(new String[] {"2", "checkout", "max orders/s at p99 < " + f(c.getDouble("limitMs"), 0)
                + " ms (stock consistent) vs pgbench TPC-B TPS",
            f(c.getDouble("maxSustainable"), 0) + (c.getBoolean("consistent") ? " (consistent)" : " (INCONSISTENT)"), tpcbTps, vsTpcb});
        Map<String, double[][]> tput = Charts.map();
        List<double[]> okPts = new ArrayList<>();
        List<double[]> otherPts = new ArrayList<>();
        int offset = 0;
        JsonArray steps = c.getJsonArray("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonArray ps = steps.getJsonObject(i).getJsonArray("perSecond");
            int n = Math.min(ps.size(), steps.getJsonObject(i).getInteger("durationS"));
            for (int k = 0; k < n; k++) {
                okPts.add(new double[] {offset + k, ps.getJsonObject(k).getLong("ok")});
                otherPts.add(new double[] {offset + k, ps.getJsonObject(k).getLong("other")});
            }
            offset += steps.getJsonObject(i).getInteger("durationS");
        }
        tput.put("orders placed (201) per second", okPts.toArray(new double[0][]));
        tput.put("other answers per second", otherPts.toArray(new double[0][]));
        Charts.overTime(dir.resolve("s2-checkout.png"), "Checkout: orders per second during the ramp", "constant-rate steps one after the other",
                "orders per second", tput, null, null);
        b.append("![checkout throughput](s2-checkout.png)\n\n");
    }

    void provisioning3(StringBuilder b) throws IOException {
        JsonObject p = read("s3-provision.json");
        if (p == null) {
            return;
        }
        p.remove("list");
        results.put("s3_provisioning", p);
        JsonObject t = p.getJsonObject("createToFirst200Ms");
        JsonObject c = p.getJsonObject("createCallMs");
        b.append("## 3. Provisioning\n\n").append(p.getValue("shops")).append(" shops created through the control plane's operator API, ")
                .append(p.getValue("concurrency")).append(" at a time (").append(f(p.getLong("elapsedMs") / 1000.0, 1))
                .append(" s in all); each timed from the create call to its first 200 through the gateway.\n\n");
        b.append("| measure (ms) | n | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|---:|\n");
        b.append("| create call answered (202) | ").append(c.getValue("count")).append(" | ").append(c.getValue("p50")).append(" | ")
                .append(c.getValue("p90")).append(" | ").append(c.getValue("p99")).append(" | ").append(c.getValue("max")).append(" |\n");
        b.append("| create call to first 200 through the gateway | ").append(t.getValue("count")).append(" | ").append(t.getValue("p50")).append(" | ")
                .append(t.getValue("p90")).append(" | ").append(t.getValue("p99")).append(" | ").append(t.getValue("max")).append(" |\n\n");
        headline.add(new String[] {"3", "provisioning", "create to first 200, p50 / p99 (ms), " + t.getValue("count") + " shops",
            t.getValue("p50") + " / " + t.getValue("p99"), "–", "–"});
        Map<String, JsonArray> d = new LinkedHashMap<>();
        d.put("create to first 200", p.getJsonArray("distribution"));
        Charts.percentiles(dir.resolve("s3-provisioning.png"), "Provisioning: create call to first 200 through the gateway",
                p.getValue("shops") + " shops", d, null);
        b.append("![provisioning latency](s3-provisioning.png)\n\n");
    }

    void lookup4(StringBuilder b) throws IOException {
        Path csv = dir.resolve("s4-jmh.csv");
        if (!Files.exists(csv)) {
            return;
        }
        JsonObject s = new JsonObject();
        Map<String, double[]> scores = new LinkedHashMap<>();
        String routes = "?";
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("\"Benchmark\"")) {
                continue;
            }
            String[] c = line.replace("\"", "").split(",");
            if (c.length < 7) {
                continue;
            }
            String name = c[0].substring(c[0].lastIndexOf('.') + 1);
            scores.put(name, new double[] {Double.parseDouble(c[4]), c[5].equals("NaN") ? Double.NaN : Double.parseDouble(c[5])});
            routes = c[c.length - 1];
        }
        JsonObject ns = new JsonObject();
        scores.forEach((k, v) -> ns.put(k, new JsonObject().put("nsPerOp", v[0]).put("error", Double.isNaN(v[1]) ? null : v[1])));
        s.put("routes", routes).put("benchmarks", ns);
        b.append("## 4. Host lookup (JMH) and memory per route\n\n").append("Routes in the table: ").append(routes)
                .append(". `RouteTable.route` of the gateway against a plain `HashMap` with the same keys and probes (bench/gateway/README.md).\n\n");
        b.append("| benchmark | ns/op | ± error | relative to HashMap |\n|---|---:|---:|---:|\n");
        double base = scores.containsKey("baselineHashMap") ? scores.get("baselineHashMap")[0] : 0;
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            b.append("| ").append(e.getKey()).append(" | ").append(f(e.getValue()[0], 1)).append(" | ")
                    .append(Double.isNaN(e.getValue()[1]) ? "–" : f(e.getValue()[1], 1)).append(" | ")
                    .append(e.getKey().startsWith("baseline") ? "–" : ratio(e.getValue()[0], base) + "×").append(" |\n");
        }
        if (scores.containsKey("presentHost")) {
            headline.add(new String[] {"4", "host lookup", "ns per lookup, " + routes + " routes, vs HashMap",
                f(scores.get("presentHost")[0], 1), f(base, 1), ratio(scores.get("presentHost")[0], base)});
        }
        Path mem = dir.resolve("s4-memory.log");
        if (Files.exists(mem)) {
            b.append("\n| memory variant | routes | bytes per route |\n|---|---:|---:|\n");
            JsonObject m = new JsonObject();
            for (String line : Files.readAllLines(mem)) {
                if (line.startsWith("MEMORY ")) {
                    Map<String, String> kv = new LinkedHashMap<>();
                    for (String part : line.substring(7).split(" ")) {
                        int eq = part.indexOf('=');
                        if (eq > 0) {
                            kv.put(part.substring(0, eq), part.substring(eq + 1));
                        }
                    }
                    b.append("| ").append(kv.get("variant")).append(" | ").append(kv.get("routes")).append(" | ").append(kv.get("perRoute")).append(" |\n");
                    m.put(kv.get("variant"), new JsonObject().put("routes", kv.get("routes")).put("bytesPerRoute", kv.get("perRoute")));
                    if ("interned".equals(kv.get("variant"))) {
                        headline.add(new String[] {"4", "host lookup", "heap per route (bytes), interned cell fields", kv.get("perRoute"), "–", "–"});
                    }
                }
            }
            s.put("memory", m);
        }
        b.append('\n');
        results.put("s4_lookup", s);
    }

    void noisy5(StringBuilder b) throws IOException {
        JsonObject alone = read("s5-alone.json");
        JsonObject with = read("s5-noisy.json");
        if (alone == null || with == null) {
            return;
        }
        JsonObject qa = alone.getJsonObject("streams").getJsonObject("quiet");
        JsonObject qn = with.getJsonObject("streams").getJsonObject("quiet");
        JsonObject nn = with.getJsonObject("streams").getJsonObject("noisy");
        JsonObject meta = read("s5-meta.json");
        double pa = qa.getJsonObject("latencyMs").getDouble("p99", 0.0);
        double pn = qn.getJsonObject("latencyMs").getDouble("p99", 0.0);
        JsonObject st = nn.getJsonObject("status");
        long n429 = st.getLong("429", 0L);
        long n5xx = 0;
        long n2xx = 0;
        for (String k : st.fieldNames()) {
            int code = Integer.parseInt(k);
            if (code >= 500) {
                n5xx += st.getLong(k);
            } else if (code >= 200 && code < 300) {
                n2xx += st.getLong(k);
            }
        }
        results.put("s5_noisy_neighbour", new JsonObject().put("meta", meta).put("quietAlone", qa).put("quietWithNoisy", qn).put("noisy", nn)
                .put("quietP99Ratio", pa > 0 ? pn / pa : null));
        b.append("## 5. Noisy neighbour\n\n");
        if (meta != null) {
            b.append(meta.getValue("quietTenants")).append(" quiet shops on ").append(meta.getString("cell")).append(" at ")
                    .append(meta.getValue("perTenantRate")).append(" req/s each (").append(meta.getValue("quietRate"))
                    .append(" req/s in all), through the gateway; then again while one more shop on the same cell sends ")
                    .append(meta.getValue("noisyRate")).append(" req/s (100× a quiet shop's rate; its plan allows ")
                    .append(meta.getString("noisyLimit", "?")).append("). ").append(meta.getValue("seconds")).append(" s each.\n\n");
        }
        b.append("| run | quiet answers | quiet 2xx | quiet errors | quiet p50 | quiet p99 | quiet p99.9 |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Object[] row : new Object[][] {{"quiet shops alone", qa}, {"with the noisy shop", qn}}) {
            JsonObject q = (JsonObject) row[1];
            JsonObject lat = q.getJsonObject("latencyMs");
            b.append("| ").append(row[0]).append(" | ").append(q.getLong("completed")).append(" | ").append(q.getLong("ok")).append(" | ")
                    .append(q.getLong("errors")).append(" | ").append(ms(lat, "p50")).append(" | ").append(ms(lat, "p99")).append(" | ")
                    .append(ms(lat, "p999")).append(" |\n");
        }
        b.append("\nQuiet p99 with / without the noisy shop: **").append(ratio(pn, pa)).append("**.\n\n");
        b.append("The noisy shop's ").append(nn.getLong("intended")).append(" requests were answered: ")
                .append(n2xx).append(" × 2xx, **").append(n429).append(" × 429**, **").append(n5xx).append(" × 5xx**, ")
                .append(nn.getLong("failed")).append(" failed without an answer, ").append(nn.getLong("dropped")).append(" not sent (driver cap); all codes: `")
                .append(st.encode()).append("`.\n\n");
        headline.add(new String[] {"5", "noisy neighbour", "quiet shops' p99 with / without the noisy shop (ms)", ms(qn.getJsonObject("latencyMs"), "p99"),
            ms(qa.getJsonObject("latencyMs"), "p99"), ratio(pn, pa)});
        headline.add(new String[] {"5", "noisy neighbour", "noisy shop's excess: 429 / 5xx", n429 + " / " + n5xx, "–", "–"});
        Map<String, JsonArray> d = new LinkedHashMap<>();
        d.put("quiet shops alone", qa.getJsonArray("distribution"));
        d.put("quiet shops, noisy neighbour on", qn.getJsonArray("distribution"));
        Charts.percentiles(dir.resolve("s5-quiet-latency.png"), "Noisy neighbour: quiet shops' latency by percentile", null, d, null);
        Map<String, double[][]> t = Charts.map();
        t.put("noisy shop: 2xx per second", perSecond(nn, "ok"));
        t.put("noisy shop: other (429) per second", perSecond(nn, "other"));
        t.put("quiet shops: 2xx per second", perSecond(qn, "ok"));
        Charts.overTime(dir.resolve("s5-noisy-throughput.png"), "Noisy neighbour: answers per second with the noisy shop on",
                "the gateway limits the noisy shop; the quiet shops keep their rate", "answers per second", t, null, null);
        b.append("![quiet latency](s5-quiet-latency.png)\n\n![noisy throughput](s5-noisy-throughput.png)\n\n");
    }

    /** Scenario 5b: the noisy shop without a gateway rate limit, in a closed loop, beside the quiet shops. */
    void unlimited5b(StringBuilder b) throws IOException {
        JsonObject quietAloneRun = read("s5-alone.json");
        JsonObject alone = read("s5b-alone.json");
        JsonObject with = read("s5b-noisy.json");
        if (quietAloneRun == null || alone == null || with == null) {
            return;
        }
        JsonObject qa = quietAloneRun.getJsonObject("streams").getJsonObject("quiet");
        JsonObject qn = with.getJsonObject("streams").getJsonObject("quiet");
        JsonObject na = alone.getJsonObject("closed").getJsonObject("noisy");
        JsonObject nn = with.getJsonObject("closed").getJsonObject("noisy");
        JsonObject meta = read("s5b-meta.json");
        double pa = qa.getJsonObject("latencyMs").getDouble("p99", 0.0);
        double pn = qn.getJsonObject("latencyMs").getDouble("p99", 0.0);
        double ta = na.getDouble("throughput", 0.0);
        double tn = nn.getDouble("throughput", 0.0);
        results.put("s5b_unlimited_noisy", new JsonObject().put("meta", meta).put("quietAlone", qa).put("quietWithNoisy", qn)
                .put("noisyAlone", na).put("noisyWithQuiet", nn)
                .put("quietP99Ratio", pa > 0 ? pn / pa : null)
                .put("noisyThroughputAlone", ta).put("noisyThroughputWithQuiet", tn)
                .put("noisyThroughputRatio", ta > 0 ? tn / ta : null));
        b.append("## 5b. Noisy neighbour without a gateway limit\n\n");
        if (meta != null) {
            b.append("The noisy shop of scenario 5 on an enterprise-sized limit (").append(meta.getString("noisyLimit", "?"))
                    .append(") sends as much as it can: a closed loop on ").append(meta.getValue("noisyConnections"))
                    .append(" connections, catalogue searches each with a text of its own (neither the edge cache nor the cell's caches can"
                            + " answer them: the cell runs each against its database). Alone, then beside the ")
                    .append(meta.getValue("quietTenants")).append(" quiet shops at ").append(meta.getValue("quietRate"))
                    .append(" req/s in all; quiet alone is scenario 5's first run. ").append(meta.getValue("seconds")).append(" s each.\n\n");
        }
        b.append("| run | quiet answers | quiet errors | quiet p50 | quiet p99 | noisy 2xx/s | noisy answers by status |\n|---|---:|---:|---:|---:|---:|---|\n");
        b.append("| quiet shops alone | ").append(qa.getLong("completed")).append(" | ").append(qa.getLong("errors")).append(" | ")
                .append(ms(qa.getJsonObject("latencyMs"), "p50")).append(" | ").append(ms(qa.getJsonObject("latencyMs"), "p99")).append(" | – | – |\n");
        b.append("| noisy shop alone | – | – | – | – | ").append(f(ta, 0)).append(" | `").append(na.getJsonObject("status", new JsonObject()).encode()).append("` |\n");
        b.append("| both | ").append(qn.getLong("completed")).append(" | ").append(qn.getLong("errors")).append(" | ")
                .append(ms(qn.getJsonObject("latencyMs"), "p50")).append(" | ").append(ms(qn.getJsonObject("latencyMs"), "p99")).append(" | ")
                .append(f(tn, 0)).append(" | `").append(nn.getJsonObject("status", new JsonObject()).encode()).append("` |\n");
        b.append("\nQuiet p99 with / without the unlimited noisy shop: **").append(ratio(pn, pa))
                .append("**; the noisy shop's throughput beside the quiet shops / alone: **").append(ratio(tn, ta)).append("**.\n\n");
        headline.add(new String[] {"5b", "unlimited noisy neighbour", "quiet shops' p99 with / without it (ms)", ms(qn.getJsonObject("latencyMs"), "p99"),
            ms(qa.getJsonObject("latencyMs"), "p99"), ratio(pn, pa)});
        headline.add(new String[] {"5b", "unlimited noisy neighbour", "its throughput beside the quiet shops / alone (2xx/s)", f(tn, 0), f(ta, 0),
            ratio(tn, ta)});
    }

    /** Scenario 5c: one shop's expensive admin searches beside quiet shops that browse and check out. */
    void searches5c(StringBuilder b) throws IOException {
        JsonObject run = read("s5c-searches.json");
        if (run == null) {
            return;
        }
        JsonObject meta = read("s5c-meta.json");
        JsonObject alone = run.getJsonObject("alone");
        JsonObject with = run.getJsonObject("with");
        JsonObject searches = with.getJsonObject("searches", new JsonObject());
        JsonObject problems = searches.getJsonObject("problems", new JsonObject());
        long cut = 0;
        long otherErrors = 0;
        for (String k : problems.fieldNames()) {
            if (k.startsWith("503 Query took too long")) {
                cut += problems.getLong(k);
            } else if (!k.startsWith("503 ") && !k.startsWith("429 ")) {
                otherErrors += problems.getLong(k);
            }
        }
        long throttled = searches.getJsonObject("status", new JsonObject()).getLong("429", 0L);
        JsonObject result = new JsonObject().put("meta", meta).put("run", run).put("searchesCutByStatementTimeout", cut)
                .put("searchesThrottled429", throttled)
                .put("searchFailuresOtherThan503Or429", otherErrors);
        b.append("## 5c. Expensive admin searches beside quiet shops\n\n");
        b.append("One more shop on cell1 has ").append(meta == null ? "?" : meta.getValue("products"))
                .append(" products; its staff search them (a title search that no index serves and that matches nothing, so every search reads"
                        + " the whole catalogue) on ").append(run.getValue("searchConnections")).append(" connections at once, in a closed loop. Meanwhile the ")
                .append(run.getValue("quietShops")).append(" quiet shops browse (").append(run.getValue("browseRate"))
                .append(" req/s, past the edge cache) and check out (").append(run.getValue("checkoutRate"))
                .append(" orders/s, three requests each). ").append(run.getValue("rounds", 1))
                .append(" rounds of: the quiet shops alone, then with the searches, ").append(run.getValue("seconds"))
                .append(" s each; each quiet stream's p99 is taken over all rounds' requests together (each round's own in"
                        + " results.json, `perRound`). The searching shop's database time budget is new in the first round.\n\n");
        b.append("| run | quiet stream | answers | errors | p50 | p99 |\n|---|---|---:|---:|---:|---:|\n");
        for (String stream : List.of("browse", "checkout")) {
            for (Object[] row : new Object[][] {{"quiet shops alone", alone}, {"with the searches", with}}) {
                JsonObject q = ((JsonObject) row[1]).getJsonObject(stream);
                JsonObject lat = q.getJsonObject("latencyMs");
                b.append("| ").append(row[0]).append(" | ").append(stream).append(" | ").append(q.getLong("completed")).append(" | ")
                        .append(q.getLong("errors")).append(" | ").append(ms(lat, "p50")).append(" | ").append(ms(lat, "p99")).append(" |\n");
            }
            double pa = alone.getJsonObject(stream).getJsonObject("latencyMs").getDouble("p99", 0.0);
            double pn = with.getJsonObject(stream).getJsonObject("latencyMs").getDouble("p99", 0.0);
            result.put(stream + "P99Ratio", pa > 0 ? pn / pa : null);
            headline.add(new String[] {"5c", "admin searches beside quiet shops", "quiet " + stream + " p99 with / without the searches (ms)",
                ms(with.getJsonObject(stream).getJsonObject("latencyMs"), "p99"), ms(alone.getJsonObject(stream).getJsonObject("latencyMs"), "p99"),
                ratio(pn, pa)});
        }
        results.put("s5c_admin_searches", result);
        b.append("\nQuiet p99 with / without the searches: browse **").append(ratio(with.getJsonObject("browse").getJsonObject("latencyMs").getDouble("p99", 0.0),
                alone.getJsonObject("browse").getJsonObject("latencyMs").getDouble("p99", 0.0))).append("**, checkout **")
                .append(ratio(with.getJsonObject("checkout").getJsonObject("latencyMs").getDouble("p99", 0.0),
                        alone.getJsonObject("checkout").getJsonObject("latencyMs").getDouble("p99", 0.0))).append("**.\n\n");
        b.append("Searches, all rounds: ").append(searches.getLong("ok", 0L)).append(" answered 200, **").append(throttled).append(" throttled** (429: the shop's database time budget for searches spent; the"
                        + " connection then waits its Retry-After), **").append(cut)
                .append(" cut by the report class's statement timeout** (503 \"Query took too long\"); answers by status `")
                .append(searches.getJsonObject("status", new JsonObject()).encode()).append("`, refusals by problem `").append(problems.encode())
                .append("`.\n\n");
        headline.add(new String[] {"5c", "admin searches beside quiet shops",
            "searches answered 200 / throttled 429 / cut by the statement timeout",
            searches.getLong("ok", 0L) + " / " + throttled + " / " + cut, "–", "–"});
    }

    static double[][] perSecond(JsonObject run, String key) {
        JsonArray ps = run.getJsonArray("perSecond");
        int n = Math.min(ps.size(), run.getInteger("durationS"));
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[] {i, ps.getJsonObject(i).getLong(key)};
        }
        return out;
    }

    void scale6(StringBuilder b) throws IOException {
        JsonObject cells = read("s6-cells.json");
        JsonObject meta = read("s6-meta.json");
        if (cells == null) {
            return;
        }
        JsonObject sm = cells.getJsonObject("streams").getJsonObject("small");
        JsonObject bg = cells.getJsonObject("streams").getJsonObject("big");
        JsonObject prov = read("s6-provision.json");
        double ps = sm.getJsonObject("latencyMs").getDouble("p99", 0.0);
        double pb = bg.getJsonObject("latencyMs").getDouble("p99", 0.0);
        JsonObject s = new JsonObject().put("meta", meta).put("small", sm).put("big", bg).put("p99Ratio", ps > 0 ? pb / ps : null);
        b.append("## 6. Scale: a big cell against a small one\n\n");
        if (meta != null) {
            b.append("Big cell `").append(meta.getString("bigCell")).append("`: ").append(f(meta.getLong("bigTenants"), 0)).append(" shops, ")
                    .append(f(meta.getLong("bigProducts"), 0)).append(" products (one variant and a stock row each); small cell `")
                    .append(meta.getString("smallCell")).append("`: ").append(f(meta.getLong("smallTenants"), 0)).append(" shops, ")
                    .append(f(meta.getLong("smallProducts"), 0)).append(" products. Bulk-loaded with SQL (")
                    .append(meta.getString("loadNote", "")).append("). Requests go straight to each cell with the shop's Host header "
                            + "(these shops are not known to the control plane); each request picks a shop and one of its products "
                            + "uniformly at random, so most reads miss the cache. ")
                    .append(meta.getValue("rate")).append(" req/s to each cell for ").append(meta.getValue("seconds"))
                    .append(" s, both cells at the same time (whatever else the machine does affects both alike).\n\n");
        }
        b.append("| cell | answers | 2xx | errors | p50 | p90 | p99 | p99.9 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Object[] row : new Object[][] {{"small", sm}, {"big", bg}}) {
            JsonObject q = (JsonObject) row[1];
            JsonObject lat = q.getJsonObject("latencyMs");
            b.append("| ").append(row[0]).append(" | ").append(q.getLong("completed")).append(" | ").append(q.getLong("ok")).append(" | ")
                    .append(q.getLong("errors")).append(" | ").append(ms(lat, "p50")).append(" | ").append(ms(lat, "p90")).append(" | ")
                    .append(ms(lat, "p99")).append(" | ").append(ms(lat, "p999")).append(" |\n");
        }
        b.append("\nStorefront p99 big / small: **").append(ratio(pb, ps)).append("**.");
        JsonObject cpu = read("s6-cpu.json");
        if (cpu != null) {
            b.append(" CPU of each cell process meanwhile (cores): small ").append(f(cpu.getDouble("smallCellCpuCores"), 2))
                    .append(", big ").append(f(cpu.getDouble("bigCellCpuCores"), 2)).append(" (below saturation: under 0.5).");
            s.put("cpu", cpu).put("smallCellBelowHalfACore", cpu.getDouble("smallCellCpuCores") < 0.5);
        }
        b.append("\n\n");
        JsonObject miss = read("s6-ramp-miss.json");
        if (miss != null) {
            JsonObject pg = read("s1-pgbench.json");
            double pgTps = pg == null ? 0 : pg.getDouble("tps");
            double max = miss.getDouble("maxSustainable");
            JsonArray steps = miss.getJsonArray("steps");
            JsonObject last = steps.getJsonObject(steps.size() - 1);
            b.append("The miss path's ceiling: reads of random products of the big cell (").append(meta == null ? "?" : f(meta.getLong("bigProducts"), 0))
                    .append(" products, nearly every read a cache miss) ramped until the p99 passes ").append(f(miss.getDouble("limitMs"), 0))
                    .append(" ms: **").append(f(max, 0)).append(" req/s** sustained (first failing step ").append(f(last.getDouble("rate"), 0))
                    .append("/s: p99 ").append(ms(last.getJsonObject("latencyMs"), "p99")).append(" ms)");
            if (pgTps > 0) {
                b.append(", against `pgbench -S` ").append(f(pgTps, 0)).append(" TPS on the same PostgreSQL in this run (scenario 1): **")
                        .append(ratio(max, pgTps)).append("**");
            }
            b.append(".\n\n");
            s.put("missPath", new JsonObject().put("maxSustainable", max).put("pgbenchTps", pgTps)
                    .put("overPgbench", pgTps > 0 ? max / pgTps : null).put("ramp", miss));
            headline.add(new String[] {"6", "scale", "cache-miss reads, max req/s at p99 < " + f(miss.getDouble("limitMs"), 0) + " ms vs pgbench -S TPS",
                f(max, 0), pgTps > 0 ? f(pgTps, 0) : "–", pgTps > 0 ? ratio(max, pgTps) : "–"});
        }
        headline.add(new String[] {"6", "scale", "storefront p99 (ms), big cell vs small cell", ms(bg.getJsonObject("latencyMs"), "p99"),
            ms(sm.getJsonObject("latencyMs"), "p99"), ratio(pb, ps)});
        if (prov != null) {
            JsonObject t = prov.getJsonObject("createToFirst200Ms");
            JsonArray list = prov.getJsonArray("list");
            String cell = list != null && !list.isEmpty() ? list.getJsonObject(0).getString("cell") : "?";
            b.append("One more shop provisioned through the control plane (the other cells drained, so placement chose `")
                    .append(cell).append("`): create call to first 200 through the gateway **").append(t.getValue("max")).append(" ms**.\n\n");
            s.put("provisionOneMore", new JsonObject().put("cell", cell).put("createToFirst200Ms", t.getValue("max")));
            JsonObject s3 = read("s3-provision.json");
            Object p50 = s3 == null ? "–" : s3.getJsonObject("createToFirst200Ms").getValue("p50");
            headline.add(new String[] {"6", "scale", "provision one more shop in the big cell (ms) vs scenario 3's p50",
                String.valueOf(t.getValue("max")), String.valueOf(p50),
                s3 == null ? "–" : ratio(t.getLong("max"), s3.getJsonObject("createToFirst200Ms").getLong("p50"))});
        }
        Map<String, JsonArray> d = new LinkedHashMap<>();
        d.put("small cell", sm.getJsonArray("distribution"));
        d.put("big cell", bg.getJsonArray("distribution"));
        Charts.percentiles(dir.resolve("s6-scale-latency.png"), "Scale: storefront latency by percentile, big cell vs small cell", null, d, null);
        b.append("![scale latency](s6-scale-latency.png)\n\n");
        results.put("s6_scale", s);
    }

    void footprint7(StringBuilder b) throws IOException {
        JsonObject f = read("s7-footprint.json");
        if (f == null) {
            return;
        }
        JsonObject roles = f.getJsonObject("roles", new JsonObject());
        JsonObject after = f.getJsonObject("afterLoad", new JsonObject());
        // explicit keys per role: medians over the rounds and the cache's effect as ratios
        JsonObject summary = new JsonObject();
        for (String role : roles.fieldNames()) {
            JsonObject r = roles.getJsonObject(role);
            double plainReady = median(r.getJsonArray("plainReadyMs"));
            double aotReady = median(r.getJsonArray("aotReadyMs"));
            double plainRss = median(r.getJsonArray("plainRssMiB"));
            double aotRss = median(r.getJsonArray("aotRssMiB"));
            summary.put(role, new JsonObject()
                    .put("plainReadyMsMedian", plainReady).put("aotReadyMsMedian", aotReady)
                    .put("aotReadyRatio", aotReady / plainReady)
                    .put("plainIdleRssMiBMedian", plainRss).put("aotIdleRssMiBMedian", aotRss)
                    .put("aotRssRatio", aotRss / plainRss).put("cacheMiB", r.getValue("cacheMiB"))
                    .put("readyUnder2s", aotReady < 2000).put("idleRssUnder250MiB", aotRss < 250));
        }
        f.put("summary", summary);
        results.put("s7_footprint", f);
        b.append("## 7. Node footprint\n\nEach role started alone (nothing else of the platform running, the infrastructure up), "
                + "timed from the JVM's launch to `GET /q/health/ready` answering 200 on the management port; resident memory (RSS) after ")
                .append(f.getValue("idleSeconds", "?")).append(" s idle. Each role is started ")
                .append(f.getValue("rounds", "?")).append(" times from its JDK AOT cache and as many times without it, alternately; "
                + "medians. The caches were trained in the same run on real work (the whole platform recording while shops were "
                + "provisioned and read for ").append(f.getValue("trainSeconds", "?")).append(" s). \"After load\": RSS of the "
                + "platform's node of that role at the end of scenario 1 (no cache). JVM options: `")
                .append(f.getString("javaOpts", "?")).append("`.\n\n");
        b.append("| role | ready, no cache (s) | ready, AOT cache (s) | ratio | idle RSS, no cache (MiB) | idle RSS, AOT cache (MiB) "
                + "| cache (MiB) | RSS after load (MiB) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String role : summary.fieldNames()) {
            JsonObject r = summary.getJsonObject(role);
            b.append("| ").append(role).append(" | ").append(f(r.getDouble("plainReadyMsMedian") / 1000.0, 2))
                    .append(" | ").append(f(r.getDouble("aotReadyMsMedian") / 1000.0, 2))
                    .append(" | ").append(f(r.getDouble("aotReadyRatio"), 2))
                    .append(" | ").append(f(r.getDouble("plainIdleRssMiBMedian"), 0))
                    .append(" | ").append(f(r.getDouble("aotIdleRssMiBMedian"), 0))
                    .append(" | ").append(r.getValue("cacheMiB"))
                    .append(" | ").append(after.getValue(role, "–")).append(" |\n");
            headline.add(new String[] {"7", "footprint", role + ": ready (s) / idle RSS (MiB), AOT cache vs none",
                f(r.getDouble("aotReadyMsMedian") / 1000.0, 2) + " / " + f(r.getDouble("aotIdleRssMiBMedian"), 0),
                f(r.getDouble("plainReadyMsMedian") / 1000.0, 2) + " / " + f(r.getDouble("plainIdleRssMiBMedian"), 0),
                f(r.getDouble("aotReadyRatio"), 2)});
        }
        b.append('\n');
    }

    void purge9(StringBuilder b) throws IOException {
        JsonObject p = read("s9-purge.json");
        if (p == null) {
            return;
        }
        JsonObject lag = p.getJsonObject("lagMs");
        double p99 = lag.getDouble("p99", Double.NaN);
        long stale = p.getLong("oldPriceAfterVisible");
        p.put("summary", new JsonObject().put("visibleP50Ms", lag.getDouble("p50")).put("visibleP99Ms", p99)
                .put("visibleMaxMs", lag.getDouble("max")).put("visibleP99Within1s", p99 < 1000)
                .put("oldPriceAfterVisible", stale).put("notVisibleWithin10s", p.getLong("notVisibleWithin10s")));
        results.put("s9_purge", p);
        b.append("## 9. Purge: a price change through the gateway\n\n").append(p.getValue("changes"))
                .append(" price changes of one variant by the admin API, one after the other, each followed by reads of its product "
                        + "through the gateway until the new price shows; ").append(p.getValue("readers"))
                .append(" other clients read the product all along (").append(p.getValue("readerAnswers")).append(" answers, by `X-Cache`: ")
                .append(p.getJsonObject("xCache").encode()).append(").\n\n");
        b.append("| from the change's answer to the new price through the gateway | p50 | p99 | max |\n|---|---:|---:|---:|\n| ms | ")
                .append(ms(lag, "p50")).append(" | ").append(ms(lag, "p99")).append(" | ").append(ms(lag, "max")).append(" |\n\n");
        b.append("Answers that started after the new price had been shown once (and before the next change): ")
                .append(p.getValue("checkedAfterVisible")).append(", of which with an old price: **").append(stale).append("**.\n\n");
        headline.add(new String[] {"9", "purge", "price change visible through the gateway, p99 (ms)", ms(lag, "p99"), "1000", "–"});
        headline.add(new String[] {"9", "purge", "answers with the old price after the new one was seen", Long.toString(stale), "0", "–"});
    }

    void flashSale10(StringBuilder b) throws IOException {
        JsonObject s = read("s10-flash-sale.json");
        if (s == null) {
            return;
        }
        JsonObject quiet = s.getJsonObject("quiet");
        JsonObject told = s.getJsonObject("soldOutAfterLastSaleMs", new JsonObject());
        double readRatio = num(quiet, "readP99Ratio");
        long placed = s.getLong("placed");
        long left = s.getLong("stockLeft");
        double toldMax = num(told, "max");
        long shed = s.getLong("retriesAfterRetryAfter");
        JsonObject statuses = s.getJsonObject("statuses", new JsonObject());
        long answers5xx = 0;
        for (String k : statuses.fieldNames()) {
            if (k.matches(".* 5\\d\\d")) {
                answers5xx += statuses.getLong(k);
            }
        }
        s.put("summary", new JsonObject().put("placed", placed).put("stock", s.getValue("stock")).put("stockLeft", left)
                .put("exactlyTheStockSold", placed == s.getLong("stock") && left == 0)
                .put("soldOutToldAfterLastSaleP99Ms", num(told, "p99")).put("soldOutToldAfterLastSaleMaxMs", toldMax)
                .put("soldOutToldWithin2s", toldMax <= 2000).put("answers5xx", answers5xx)
                .put("answers5xxOtherThan503WithRetryAfter", s.getLong("answers5xxOther")).put("unanswered", s.getLong("unanswered"))
                .put("waitedPastExpectedWait", s.getLong("waitedPastExpectedWait"))
                .put("ticketOrderMaxDisplacement", s.getLong("ticketOrderMaxDisplacement"))
                .put("admittedOutOfTicketOrder", s.getLong("admittedOutOfTicketOrder"))
                .put("lastBuyerArrivalRank", s.getLong("lastBuyerArrivalRank"))
                .put("quietReadP99AloneMs", num(quiet, "readP99AloneMs")).put("quietReadP99WithSaleMs", num(quiet, "readP99WithSaleMs"))
                .put("quietReadP99Ratio", readRatio).put("quietReadP99Within1_2x", readRatio <= 1.2)
                .put("quietCheckoutP99Ratio", num(quiet, "checkoutP99Ratio")));
        results.put("s10_flash_sale", s);
        b.append("## 10. Flash sale\n\n").append(s.getValue("shoppers")).append(" shoppers arrive within ").append(s.getValue("arrivalSeconds"))
                .append(" s (open loop, evenly spaced) through the gateway for ").append(s.getValue("stock"))
                .append(" units of one variant, one unit each, at a shop whose merchant turned its waiting room on before the sale ("
                        + "admitting ").append(s.getValue("admitPerSecond")).append(" checkouts per second). Each shopper's cart was filled "
                        + "before (").append(s.getValue("cartFillMs")).append(" ms for all). A shopper answered 202 comes back after its "
                        + "`Retry-After` to the queue's status URL until it is admitted (then checks out with its ticket) or told the stock "
                        + "is sold out; one answered 503 or 429 with `Retry-After` asks again after that. Meanwhile ")
                .append(s.getValue("quietShops")).append(" other shops of the same cell are read at ").append(f(num(s, "quietRate"), 0))
                .append(" req/s in all and one of them takes ").append(f(num(s, "quietCheckoutRate"), 0))
                .append(" orders per second, against the same load for as long just before the sale.\n\n");
        b.append("| measure | result | target |\n|---|---:|---|\n");
        b.append("| orders placed / stock left | ").append(placed).append(" / ").append(left).append(" | exactly the stock / 0 |\n");
        b.append("| \"sold out\" told after the last unit sold (from the later of that and the shopper's arrival), p99 / max (ms) | ")
                .append(ms(told, "p99")).append(" / ").append(ms(told, "max")).append(" | within 2,000 |\n");
        b.append("| answers 5xx (503 with `Retry-After`, asked again) / other 5xx / shoppers answered neither way | ").append(shed)
                .append(" / ").append(s.getValue("answers5xxOther")).append(" / ").append(s.getValue("unanswered")).append(" | none |\n");
        b.append("| shoppers who came back and waited past their expected wait plus a second | ").append(s.getValue("waitedPastExpectedWait"))
                .append(" | none |\n");
        b.append("| tickets / largest gap between arrival order and ticket order / admissions seen out of ticket order (by more than a "
                        + "second's admissions) | ").append(s.getValue("ticketed")).append(" / ").append(s.getValue("ticketOrderMaxDisplacement"))
                .append(" / ").append(s.getValue("admittedOutOfTicketOrder")).append(" | order kept |\n");
        b.append("| the last buyer's place in the arrival order | ").append(s.getValue("lastBuyerArrivalRank")).append(" | near the stock |\n");
        b.append("| quiet shops' read p99 with the sale / without (ms) | ").append(f(num(quiet, "readP99WithSaleMs"), 2)).append(" / ")
                .append(f(num(quiet, "readP99AloneMs"), 2)).append(" = ").append(f(readRatio, 2)).append("x | at most 1.2x |\n");
        b.append("| quiet shop's checkout p99 with the sale / without (ms) | ").append(f(num(quiet, "checkoutP99WithSaleMs"), 1))
                .append(" / ").append(f(num(quiet, "checkoutP99AloneMs"), 1)).append(" = ").append(f(num(quiet, "checkoutP99Ratio"), 2))
                .append("x | |\n");
        b.append("| answers by request and status | `").append(statuses.encode()).append("` | |\n");
        b.append("| driver: latest arrival / latest timer against its schedule (ms) | ")
                .append(f(num(s.getJsonObject("driver"), "arrivalLatenessMaxMs"), 1)).append(" / ")
                .append(f(num(s.getJsonObject("driver"), "timerLatenessMaxMs"), 1)).append(" | small against a second |\n\n");
        headline.add(new String[] {"10", "flash sale", "orders placed for the stock (stock left)", placed + " (" + left + ")",
            String.valueOf(s.getValue("stock")), "–"});
        headline.add(new String[] {"10", "flash sale", "\"sold out\" told after the last sale, max (ms)", ms(told, "max"), "2000", "–"});
        headline.add(new String[] {"10", "flash sale", "answers 5xx",
            Long.toString(answers5xx), "0", "–"});
        headline.add(new String[] {"10", "flash sale", "quiet shops' read p99 with the sale vs without (ms)",
            f(num(quiet, "readP99WithSaleMs"), 2), f(num(quiet, "readP99AloneMs"), 2), f(readRatio, 2)});
    }

    void lifecycle11(StringBuilder b) throws IOException {
        JsonObject s = read("s11-lifecycle.json");
        if (s == null) {
            return;
        }
        JsonObject export = s.getJsonObject("export");
        JsonObject imported = s.getJsonObject("import");
        JsonObject purge = s.getJsonObject("purge");
        double heapOver = num(export, "heapOverIdleMiB");
        double readRatio = num(purge, "quietReadP99Ratio");
        double checkoutRatio = num(purge, "quietCheckoutP99Ratio");
        s.put("summary", new JsonObject().put("rows", export.getValue("rows"))
                .put("exportRowsPerSecond", num(export, "rowsPerSecond")).put("exportHeapOverIdleMiB", heapOver)
                .put("exportHeapWithin64MiB", heapOver <= 64)
                .put("importRowsPerSecond", num(imported, "rowsPerSecond"))
                .put("importChecksumsIdentical", imported.getBoolean("checksumsIdentical"))
                .put("purgeRowsPerSecond", num(purge, "rowsPerSecond")).put("purgeSeconds", num(purge, "seconds"))
                .put("quietReadP99Ratio", readRatio).put("quietCheckoutP99Ratio", checkoutRatio)
                .put("quietP99Within1_2x", readRatio <= 1.2 && checkoutRatio <= 1.2));
        results.put("s11_lifecycle", s);
        b.append("## 11. Data lifecycle\n\nA shop of ").append(export.getValue("rows")).append(" rows (products with a variant and "
                        + "stock each, customers, orders of one line each; loaded in SQL) on cell1 is exported by an operator (a full "
                        + "export: every table of the shop, NDJSON per table, one archive), imported into an empty shop on cell2, "
                        + "exported again there, and purged through the control plane while a quiet shop of cell1 is read through "
                        + "the gateway (its product pages) and takes orders, against the same load for ")
                .append(num(s.getJsonObject("purge").getJsonObject("readsAlone"), "durationS") > 0
                        ? f(num(s.getJsonObject("purge").getJsonObject("readsAlone"), "durationS"), 0) : "?")
                .append(" s just before. The cell's live heap is sampled every 0.5 s during the export: the bytes of its reachable "
                        + "objects from `jcmd GC.class_histogram` (a full collection first).\n\n");
        b.append("| measure | result | target |\n|---|---:|---|\n");
        b.append("| export: rows/s (rows in s) | ").append(f(num(export, "rowsPerSecond"), 0)).append(" (").append(export.getValue("rows"))
                .append(" in ").append(f(num(export, "seconds"), 1)).append(") | |\n");
        b.append("| export: the cell's live heap over its idle level, max (MiB) | ").append(f(heapOver, 1)).append(" (")
                .append(f(num(export, "idleLiveHeapMiB"), 1)).append(" -> ").append(f(num(export, "maxLiveHeapMiB"), 1))
                .append(", ").append(export.getValue("heapSamples")).append(" samples) | at most 64 |\n");
        b.append("| import: rows/s | ").append(f(num(imported, "rowsPerSecond"), 0)).append(" | |\n");
        b.append("| the imported shop exported again: every table's rows and checksum the same | ")
                .append(imported.getBoolean("checksumsIdentical") ? "yes" : "no: " + imported.getJsonArray("differingTables").encode())
                .append(" | yes |\n");
        b.append("| purge: rows/s (rows in s, request to the cell's answer) | ").append(f(num(purge, "rowsPerSecond"), 0)).append(" (")
                .append(purge.getValue("rows")).append(" in ").append(f(num(purge, "seconds"), 1)).append(") | minutes, not hours |\n");
        b.append("| quiet shop's read p99 during the purge / before (ms) | ").append(f(num(purge, "quietReadP99DuringMs"), 2)).append(" / ")
                .append(f(num(purge, "quietReadP99AloneMs"), 2)).append(" = ").append(f(readRatio, 2)).append("x | at most 1.2x |\n");
        b.append("| quiet shop's checkout p99 during the purge / before (ms) | ").append(f(num(purge, "quietCheckoutP99DuringMs"), 1))
                .append(" / ").append(f(num(purge, "quietCheckoutP99AloneMs"), 1)).append(" = ").append(f(checkoutRatio, 2))
                .append("x | at most 1.2x |\n\n");
        headline.add(new String[] {"11", "data lifecycle", "export heap over idle (MiB)", f(heapOver, 1), "64", "–"});
        headline.add(new String[] {"11", "data lifecycle", "export / import / purge rows/s", f(num(export, "rowsPerSecond"), 0) + " / "
                + f(num(imported, "rowsPerSecond"), 0) + " / " + f(num(purge, "rowsPerSecond"), 0), "–", "–"});
        headline.add(new String[] {"11", "data lifecycle", "quiet read p99 during the purge vs before (ms)",
            f(num(purge, "quietReadP99DuringMs"), 2), f(num(purge, "quietReadP99AloneMs"), 2), f(readRatio, 2)});
    }

    void cheapRequests8(StringBuilder b) throws IOException {
        JsonObject a = read("s8-abuse.json");
        if (a == null) {
            return;
        }
        JsonObject signin = a.getJsonObject("signin");
        JsonObject hosts = a.getJsonObject("hosts");
        double p99Ratio = num(signin, "quietP99Ratio");
        double share429 = num(signin, "floodShare429");
        double retryAfter = num(signin, "floodShare429WithRetryAfter");
        double hitBefore = num(hosts, "realShopHitRatioBefore");
        double hitDuring = num(hosts, "realShopHitRatioDuring");
        double heapGrowth = num(hosts, "heapGrowthMiB");
        JsonObject summary = new JsonObject()
                .put("signinQuietP99AloneMs", num(signin, "quietP99AloneMs"))
                .put("signinQuietP99WithFloodMs", num(signin, "quietP99WithFloodMs"))
                .put("signinQuietP99Ratio", p99Ratio).put("signinQuietP99Within1_2x", p99Ratio <= 1.2)
                .put("signinFloodShare429", share429).put("signinFloodShare429WithRetryAfter", retryAfter)
                .put("hostsRealShopHitRatioBefore", hitBefore).put("hostsRealShopHitRatioDuring", hitDuring)
                .put("hostsHitRatioUnchanged", hitDuring >= hitBefore - 0.02)
                .put("hostsHeapGrowthMiB", heapGrowth).put("hostsHeapWithin32MiB", heapGrowth <= 32);
        a.put("summary", summary);
        results.put("s8_cheap_requests", a);
        b.append("## 8. Cheap requests\n\n(a) ").append(f(a.getDouble("signinRate"), 0))
                .append(" sign-in attempts per second with unknown emails against one shop from one client address, through the gateway "
                        + "(the shop's request limit raised out of the way; the gateway's sign-in limit per address applies), while ")
                .append(a.getValue("quietShops")).append(" other shops of the same cell are read at ")
                .append(f(a.getDouble("quietRate"), 0)).append(" req/s in all, for ").append(a.getValue("seconds"))
                .append(" s, against the same reads without the flood just before, in ").append(a.getValue("rounds", 1))
                .append(" round(s) whose reads are pooled for each p99 (the flooding process warmed up first by the same flood "
                        + "from another loopback address). (b) ").append(f(num(a, "hostCount"), 0))
                .append(" requests with invented `Host` values (half under the platform's domain) straight to the cell at ")
                .append(f(a.getDouble("hostRate"), 0)).append(" req/s while the same shops are read straight from it: the real "
                        + "shops' host-lookup hit ratio (`tenancy_host_lookups_total`, hits over hits and found loads) during the "
                        + "flood against the reads before it, and the cell's heap in use after a full GC (`jcmd GC.run`) before and "
                        + "after.\n\n");
        b.append("| measure | result | target |\n|---|---:|---|\n");
        b.append("| quiet shops' p99 with the sign-in flood / without (ms) | ").append(ms(signin.getJsonObject("quietWithFlood")
                .getJsonObject("latencyMs"), "p99")).append(" / ").append(ms(signin.getJsonObject("quietAlone").getJsonObject("latencyMs"), "p99"))
                .append(" = ").append(f(p99Ratio, 2)).append("x | at most 1.2x |\n");
        b.append("| flood answers 429 / with `Retry-After` | ").append(f(100 * share429, 1)).append("% / ")
                .append(f(100 * retryAfter, 1)).append("% | the flooding source is refused |\n");
        b.append("| flood answers by status | `").append(signin.getJsonObject("flood").getJsonObject("status", new JsonObject()).encode())
                .append("` | |\n");
        b.append("| real shops' hit ratio during / before the invented hosts | ").append(f(hitDuring, 3)).append(" / ")
                .append(f(hitBefore, 3)).append(" | unchanged (within 0.02: found entries expire after 2 s, so both windows, of equal length, "
                        + "load each shop about once per 2 s) |\n");
        b.append("| invented-host answers by status | `").append(hosts.getJsonObject("inventedHosts").getJsonObject("status", new JsonObject())
                .encode()).append("` | |\n");
        b.append("| cell heap after GC, after / before the invented hosts (MiB) | ").append(f(num(hosts, "heapAfterGcAfterMiB"), 1))
                .append(" / ").append(f(num(hosts, "heapAfterGcBeforeMiB"), 1)).append(" (").append(f(heapGrowth, 1))
                .append(" MiB) | within 32 MiB |\n\n");
        headline.add(new String[] {"8", "cheap requests", "quiet p99 with a sign-in flood vs without (ms)",
            ms(signin.getJsonObject("quietWithFlood").getJsonObject("latencyMs"), "p99"),
            ms(signin.getJsonObject("quietAlone").getJsonObject("latencyMs"), "p99"), f(p99Ratio, 2)});
        headline.add(new String[] {"8", "cheap requests", "real shops' host hit ratio with invented hosts vs before",
            f(hitDuring, 3), f(hitBefore, 3), ratio(hitDuring, hitBefore)});
    }

    /** A number of the object, NaN when absent or null. */
    private static double num(JsonObject o, String key) {
        Object v = o == null ? null : o.getValue(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double median(JsonArray values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) values.getValue(i)).doubleValue();
        }
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
