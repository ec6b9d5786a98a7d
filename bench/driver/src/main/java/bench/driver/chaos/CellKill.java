package bench.driver.chaos;

import bench.driver.Setup;
import java.time.Duration;
import java.util.List;

/**
 * kill -9 of a cell during checkouts, then a restart: every order it acknowledged is there after the
 * restart, with exactly one OrderPlaced event, and the shops of the other cell see no error meanwhile.
 */
final class CellKill implements Scenario {

    @Override
    public String id() {
        return "cell-kill";
    }

    @Override
    public List<Verdict> run(Context ctx) throws Exception {
        String cell = ctx.options().get("kill-cell", "cell1");
        String other = cell.equals("cell1") ? "cell2" : "cell1";
        Verdict v = new Verdict(id(), "kill -9 " + cell + " during checkouts, restart it",
                "every 201 order of " + cell + " read back and with exactly 1 OrderPlaced (within 60 s); " + other + ": 0 errors");
        long kill = System.nanoTime();
        ctx.nodes().kill9(cell);
        ctx.nodes().start(cell);
        long ready = ctx.nodes().awaitReady(cell, Duration.ofSeconds(180));
        // serving again through the gateway: every shop of the cell answers 200
        for (ChaosShop s : ctx.shopsOn(cell)) {
            awaitOk(ctx.setup(), ctx.gateway(), s, Duration.ofSeconds(60));
        }
        long serving = System.nanoTime();
        ctx.load().settle(serving);
        List<SteadyLoad.Sample> otherCell = ctx.load().window(kill, serving, s -> s.shop().cell().equals(other));
        List<SteadyLoad.Sample> killed = ctx.load().window(kill, serving, s -> s.shop().cell().equals(cell));
        v.figure("kill to ready (ms)", (ready - kill) / 1_000_000).figure("kill to serving (ms)", (serving - kill) / 1_000_000)
                .figure(cell + " meanwhile", SteadyLoad.stats(killed).getValue("status"))
                .figure(other + " meanwhile", brief(SteadyLoad.stats(otherCell)));
        v.check(SteadyLoad.stats(otherCell).getLong("errors") == 0,
                other + " had " + SteadyLoad.stats(otherCell).getLong("errors") + " errors while " + cell + " was down: "
                        + SteadyLoad.stats(otherCell).getValue("status"));
        // every order the cell acknowledged since the load began
        ctx.audit().check(ctx.load().window(0, serving, s -> s.shop().cell().equals(cell)), Duration.ofSeconds(60), v);
        return List.of(v);
    }

    static String brief(io.vertx.core.json.JsonObject stats) {
        return stats.getLong("count") + " ops, " + stats.getLong("errors") + " errors, p99 " + stats.getValue("p99Ms", "-") + " ms";
    }

    /** Polls a shop's storefront through the gateway until it answers 200. */
    static long awaitOk(Setup setup, String gateway, ChaosShop s, Duration timeout) throws Exception {
        Deadline d = Deadline.in(timeout);
        while (true) {
            try {
                Setup.Answer a = setup.send("GET", gateway + "/api/storefront/products/p-0", s.shop().host(), null, null, null);
                if (a.status() == 200) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException e) {
                // not answering yet
            }
            d.check(s.shop().handle() + " not served through the gateway");
            Thread.sleep(50); // polling interval
        }
    }
}
