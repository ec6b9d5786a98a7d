package bench.driver.chaos;

import bench.driver.Setup;
import java.time.Duration;
import java.util.List;

/**
 * The gateway restarted while the control node is down (run inside {@link ControlOutage}): it has
 * only its route snapshot, and its first answer after readiness must be a 200.
 */
final class GatewayRestart {

    Verdict run(Context ctx) throws Exception {
        Verdict v = new Verdict("gateway-restart", "restart the gateway while the control node is down",
                "first request after readiness answers 200 (and every shop right after)");
        long stop = System.nanoTime();
        ctx.nodes().stop("gateway");
        ctx.nodes().start("gateway");
        long ready = ctx.nodes().awaitReady("gateway", Duration.ofSeconds(180));
        List<ChaosShop> shops = ctx.shops();
        Setup.Answer first = ctx.setup().send("GET", ctx.gateway() + "/api/storefront/products/p-0", shops.get(0).shop().host(),
                null, null, null);
        long firstMs = (System.nanoTime() - ready) / 1_000_000;
        v.figure("restart to ready (ms)", (ready - stop) / 1_000_000).figure("first answer", first.status())
                .figure("first answer after ready (ms)", firstMs);
        v.check(first.status() == 200, "first request after readiness answered " + first.status() + ": " + first.body());
        int others = 0;
        for (ChaosShop s : shops) {
            Setup.Answer a = ctx.setup().send("GET", ctx.gateway() + "/api/storefront/products/p-0", s.shop().host(), null, null, null);
            if (a.status() != 200) {
                others++;
                v.check(false, s.shop().handle() + " answered " + a.status() + " right after the restart");
            }
        }
        v.figure("shops answering 200 right after", (shops.size() - others) + "/" + shops.size());
        return v;
    }
}
