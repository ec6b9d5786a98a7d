package bench.driver.chaos;

import bench.driver.Setup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * kill -9 of the control node: routing and serving go on unchanged; while it is down the gateway is
 * restarted and must route from its snapshot at once ({@link GatewayRestart}); then the control node
 * is started again: heartbeats of every cell reach it within 5 s of its readiness, and a new shop is
 * provisioned and served through the gateway.
 */
final class ControlOutage implements Scenario {

    @Override
    public String id() {
        return "control-kill";
    }

    @Override
    public List<Verdict> run(Context ctx) throws Exception {
        Duration down = ctx.options().seconds("control-down-seconds", 20, 5);
        double heartbeatBoundMs = ctx.options().number("heartbeat-bound-ms", 5000);
        Verdict v = new Verdict(id(), "kill -9 the control node, restart it",
                "0 errors while it is down; every cell's heartbeat within " + (long) heartbeatBoundMs
                        + " ms of its readiness; a new shop served through the gateway");
        long kill = System.nanoTime();
        ctx.nodes().kill9("control");
        Thread.sleep(down.toMillis()); // the outage itself
        long end = System.nanoTime();
        ctx.load().settle(end);
        JsonObject during = SteadyLoad.stats(ctx.load().window(kill, end, s -> true));
        v.figure("down for (s)", down.toSeconds()).figure("load while down", CellKill.brief(during));
        v.check(during.getLong("errors") == 0, "errors while the control node was down: " + during.getValue("status"));

        List<Verdict> out = new ArrayList<>();
        if (ctx.options().wants("gateway-restart")) {
            out.add(new GatewayRestart().run(ctx));
        }

        long restart = System.nanoTime();
        ctx.nodes().start("control");
        ctx.nodes().awaitReady("control", Duration.ofSeconds(180));
        Instant ready = Instant.now();
        long readyNanos = System.nanoTime();
        v.figure("control restart to ready (ms)", (readyNanos - restart) / 1_000_000);
        long heartbeats = awaitHeartbeats(ctx, ready, Duration.ofSeconds(90));
        if (heartbeats < 0) {
            v.figure("heartbeats after ready (ms)", "none within 90 s");
            v.check(false, "no heartbeat of every cell within 90 s of the control node's readiness");
        } else {
            long ms = (heartbeats - readyNanos) / 1_000_000;
            v.figure("heartbeats after ready (ms)", ms);
            v.check(ms <= heartbeatBoundMs, "heartbeats seen " + ms + " ms after readiness (bound " + (long) heartbeatBoundMs + " ms)");
        }
        try {
            Setup.Shop shop = ctx.setup().provision("chaos" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + "-after",
                    "basic");
            v.figure("new shop: create to first 200 (ms)", shop.firstOkMs());
        } catch (RuntimeException e) {
            v.check(false, "provisioning after the restart: " + e.getMessage());
        }
        out.add(0, v);
        return out;
    }

    /** Polls the cell list until the lastHeartbeatAt of every cell with shops under load is after {@code since}; -1 if not by the deadline. */
    static long awaitHeartbeats(Context ctx, Instant since, Duration timeout) throws Exception {
        java.util.Set<String> cells = new java.util.TreeSet<>();
        ctx.shops().forEach(s -> cells.add(s.cell()));
        Deadline d = Deadline.in(timeout);
        while (!d.passed()) {
            try {
                Setup.Answer a = ctx.setup().send("GET", ctx.control() + "/api/controlplane/cells", null, ctx.token(), null, null);
                if (a.status() == 200 && allAfter(a.body(), cells, since)) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException e) {
                // not answering yet
            }
            Thread.sleep(100); // polling interval
        }
        return -1;
    }

    private static boolean allAfter(String body, java.util.Set<String> wanted, Instant since) {
        JsonArray cells = body.trim().startsWith("[") ? new JsonArray(body) : new JsonObject(body).getJsonArray("items", new JsonArray());
        int seen = 0;
        for (int i = 0; i < cells.size(); i++) {
            JsonObject c = cells.getJsonObject(i);
            if (!wanted.contains(c.getString("id"))) {
                continue;
            }
            String at = c.getString("lastHeartbeatAt");
            if (at == null || !Instant.parse(at).isAfter(since)) {
                return false;
            }
            seen++;
        }
        return seen == wanted.size();
    }
}
