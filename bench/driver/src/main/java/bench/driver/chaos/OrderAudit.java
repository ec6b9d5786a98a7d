package bench.driver.chaos;

import bench.driver.Setup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether acknowledged orders survived: each order answered 201 is read back through the admin API
 * of its shop (its cell's database), and has exactly one {@code OrderPlaced} record on the orders
 * topic (polled until every order has one, or the deadline passes).
 */
final class OrderAudit {

    private final Setup setup;
    private final OrderEvents events;

    OrderAudit(Setup setup, OrderEvents events) {
        this.setup = setup;
        this.events = events;
    }

    /** Acknowledged orders, counted and checked into the verdict. */
    void check(List<SteadyLoad.Sample> samples, Duration eventDeadline, Verdict v) throws Exception {
        List<SteadyLoad.Sample> acked = samples.stream().filter(s -> s.status() == 201 && s.orderId() != null).toList();
        List<String> missing = new ArrayList<>();
        for (SteadyLoad.Sample s : acked) {
            ChaosShop shop = s.shop();
            Setup.Answer a = setup.send("GET", shop.cellUrl() + "/api/admin/orders/" + s.orderId(), shop.shop().host(),
                    shop.adminToken(), null, null);
            if (a.status() != 200) {
                missing.add(s.orderId() + " (" + shop.shop().handle() + ": HTTP " + a.status() + ")");
            }
        }
        long t0 = System.nanoTime();
        Deadline d = Deadline.in(eventDeadline);
        while (!d.passed() && acked.stream().anyMatch(s -> events.count(s.orderId()) == 0)) {
            Thread.sleep(200); // polling interval
        }
        long waited = (System.nanoTime() - t0) / 1_000_000;
        List<String> noEvent = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (SteadyLoad.Sample s : acked) {
            int n = events.count(s.orderId());
            if (n == 0) {
                noEvent.add(s.orderId());
            } else if (n > 1) {
                duplicated.add(s.orderId() + " x" + n + " (" + events.distinctEvents(s.orderId()) + " event ids)");
            }
        }
        v.figure("orders acknowledged (201)", acked.size()).figure("read back", acked.size() - missing.size())
                .figure("with exactly one OrderPlaced", acked.size() - noEvent.size() - duplicated.size())
                .figure("events complete after (ms)", waited);
        v.check(!acked.isEmpty(), "no order was acknowledged: nothing to check");
        v.check(missing.isEmpty(), missing.size() + " acknowledged orders not found through the admin API: " + head(missing));
        v.check(noEvent.isEmpty(), noEvent.size() + " acknowledged orders without an OrderPlaced event after "
                + eventDeadline.toSeconds() + " s: " + head(noEvent));
        v.check(duplicated.isEmpty(), duplicated.size() + " orders with more than one OrderPlaced record: " + head(duplicated));
    }

    static String head(List<String> l) {
        return String.join(", ", l.subList(0, Math.min(5, l.size()))) + (l.size() > 5 ? ", ..." : "");
    }
}
