package bench.driver.chaos;

import bench.driver.Setup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chaos suite (bench/chaos): shops on both cells, steady mixed load through the gateway, then
 * one fault after another, each judged against its bound; a verdict table in Markdown and JSON.
 *
 * <pre>
 *   chaos --control=URL --gateway=URL --token=T --state-dir=DIR --platform=bin/platform --infra-home=DIR
 *         --pg-bin=DIR --pg-port=N --kafka=HOST:PORT --orders-topic=T --java=PATH --node-java-opts=".."
 *         --out=DIR [--short] [--only=a,b] [--health-url=TEMPLATE] [--openapi-url=TEMPLATE] [--browse-rate --order-rate]
 * </pre>
 */
public final class Chaos {

    private Chaos() {}

    static List<Scenario> scenarios() {
        return List.of(new CellKill(), new RedisFreeze(), new KafkaFreeze(), new CellDatabaseDown(), new ControlOutage(), new SaleFaults(),
                new Fuzz());
    }

    public static int run(Map<String, List<String>> args) throws Exception {
        Options o = Options.of(args);
        Path out = Path.of(o.get("out"));
        Files.createDirectories(out);
        Setup setup = new Setup(o.get("control"), o.get("gateway"), o.get("token"));
        Nodes nodes = new Nodes(Path.of(o.get("state-dir")), Path.of(o.get("platform")), o.get("java"), o.get("node-java-opts", ""),
                o.get("health-url", ""));
        Infra infra = new Infra(Path.of(o.get("infra-home")), o.get("pg-bin"), Integer.parseInt(o.get("pg-port")));
        Instant started = Instant.now();

        List<ChaosShop> shops = provision(setup, o);
        shops.forEach(s -> log("shop %s on %s", s.shop().handle(), s.cell()));
        List<Verdict> verdicts = new ArrayList<>();
        try (OrderEvents events = new OrderEvents(o.get("kafka"), o.get("orders-topic", "storefront.orders.events"));
             SteadyLoad load = new SteadyLoad(setup.gateway, shops)) {
            events.start();
            double browse = o.number("browse-rate", 10);
            double order = o.number("order-rate", 2);
            load.start(browse, order);
            log("steady load: %.0f browse/s and %.0f orders/s (3 requests each) through the gateway on %d shops", browse, order, shops.size());
            Context ctx = new Context(o, setup, nodes, infra, shops, load, events, new OrderAudit(setup, events));
            Duration warmup = o.seconds("warmup-seconds", 15, 5);
            Thread.sleep(warmup.toMillis()); // warm-up of the load, not a wait for a condition
            awaitSteady(load, Duration.ofSeconds(60));
            log("warm-up: %s", SteadyLoad.stats(load.window(0, System.nanoTime(), s -> true)).encode());
            for (Scenario s : scenarios()) {
                if (!o.wants(s.id())) {
                    continue;
                }
                awaitSteady(load, Duration.ofSeconds(60));
                log("---- %s", s.id());
                long t0 = System.nanoTime();
                List<Verdict> vs;
                try {
                    vs = s.run(ctx);
                } catch (Exception | Error e) {
                    Verdict v = new Verdict(s.id(), s.id(), "the scenario runs to its end");
                    v.check(false, "did not complete: " + e);
                    e.printStackTrace();
                    vs = List.of(v);
                }
                for (Verdict v : vs) {
                    v.seconds = (System.nanoTime() - t0) / 1_000_000_000L;
                    log("%s: %s (%s)%s", v.id, v.passed() ? "PASS" : "FAIL", v.figuresText(),
                            v.failures.isEmpty() ? "" : "\n    " + String.join("\n    ", v.failures));
                    verdicts.add(v);
                }
            }
            JsonObject whole = SteadyLoad.stats(load.all());
            log("load over the whole run: %s", whole.encode());
        }
        String md = markdown(verdicts, o, started);
        Files.writeString(out.resolve("verdicts.md"), md);
        JsonArray arr = new JsonArray();
        verdicts.forEach(v -> arr.add(v.toJson()));
        Files.writeString(out.resolve("verdicts.json"), new JsonObject().put("startedAt", started.toString())
                .put("form", o.shortForm() ? "short" : "full").put("verdicts", arr).encodePrettily());
        System.out.println(md);
        return verdicts.stream().allMatch(Verdict::passed) && !verdicts.isEmpty() ? 0 : 1;
    }

    /** Two shops on each cell: the other cell drained while a cell's shops are created. */
    static List<ChaosShop> provision(Setup setup, Options o) throws Exception {
        int perCell = (int) o.number("shops-per-cell", 2);
        String prefix = "chaos" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        List<ChaosShop> shops = new ArrayList<>();
        for (String[] c : new String[][] {{"cell1", "cell2"}, {"cell2", "cell1"}}) {
            operator(setup, "POST", "/api/controlplane/cells/" + c[1] + "/drain");
            try {
                for (Setup.Shop s : setup.provisionAll(prefix + "-" + c[0], perCell, 2, "basic")) {
                    String token = setup.adminToken(s);
                    JsonArray vs = setup.fill(s, token, 3, 1_000_000);
                    List<String> variants = new ArrayList<>();
                    for (int i = 0; i < vs.size(); i++) {
                        variants.add(vs.getJsonObject(i).getString("id"));
                    }
                    shops.add(new ChaosShop(s, token, setup.cellUrl(s.cell()), variants));
                }
            } finally {
                operator(setup, "POST", "/api/controlplane/cells/" + c[1] + "/undrain");
            }
        }
        return shops;
    }

    private static void operator(Setup setup, String method, String path) throws Exception {
        Setup.Answer a = setup.send(method, setup.control + path, null, setup.token, null, null);
        if (a.status() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + a.status() + " " + a.body());
        }
    }

    /** Polls until the last two seconds of load had no error (the previous fault is over). */
    static void awaitSteady(SteadyLoad load, Duration timeout) throws InterruptedException {
        Deadline d = Deadline.in(timeout);
        while (!d.passed()) {
            long now = System.nanoTime();
            load.settle(now - 500_000_000L);
            List<SteadyLoad.Sample> recent = load.window(now - 2_500_000_000L, now - 500_000_000L, s -> true);
            if (!recent.isEmpty() && recent.stream().allMatch(SteadyLoad.Sample::ok)) {
                return;
            }
            Thread.sleep(250); // polling interval
        }
        log("the load still has errors after %d s; going on", timeout.toSeconds());
    }

    static String markdown(List<Verdict> verdicts, Options o, Instant started) {
        StringBuilder b = new StringBuilder();
        b.append("| # | scenario | verdict | bound | figures |\n|---|---|---|---|---|\n");
        int i = 0;
        for (Verdict v : verdicts) {
            b.append("| ").append(++i).append(" | ").append(cell(v.title)).append(" | **").append(v.passed() ? "PASS" : "FAIL")
                    .append("** | ").append(cell(v.bound)).append(" | ").append(cell(v.figuresText()))
                    .append(v.failures.isEmpty() ? "" : "<br>failed: " + cell(String.join("; ", v.failures))).append(" |\n");
        }
        for (Verdict v : verdicts) {
            if (v.figures.get("findings") instanceof JsonArray f && !f.isEmpty()) {
                b.append("\n5xx and unanswered requests of ").append(v.id).append(" (").append(f.size()).append("):\n\n");
                for (int k = 0; k < Math.min(f.size(), 60); k++) {
                    b.append("- `").append(f.getString(k).replace("`", "'")).append("`\n");
                }
                if (f.size() > 60) {
                    b.append("- ... (all in verdicts.json)\n");
                }
            }
        }
        b.append("\n").append(o.shortForm() ? "Short" : "Full").append(" form, started ").append(started).append(".\n");
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static void log(String fmt, Object... args) {
        System.err.printf("chaos: " + fmt + "%n", args);
    }
}
