package bench.driver.chaos;

import bench.driver.Setup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults during a flash sale: a shop on cell1 with its waiting room on sells a few units to more shoppers than it has
 * units, through the gateway, while (a) cell1 is killed (kill -9) and restarted, (b) Redis is frozen (SIGSTOP) and
 * thawed. Every shopper keeps its cart, its Idempotency-Key and its queue ticket, and asks again after
 * {@code Retry-After} (or a second) whatever goes wrong, until it has an order or is told the stock is sold out.
 * Afterwards, from the cell's database through the admin API: every order answered 201 is there, no shopper has two
 * orders (nobody was admitted twice), the orders took exactly the units the stock lost, and never more than the stock.
 */
final class SaleFaults implements Scenario {

    @Override
    public String id() {
        return "sale";
    }

    @Override
    public List<Verdict> run(Context ctx) throws Exception {
        return List.of(sale(ctx, "kill -9 cell1 during a flash sale, restart it", "the sale's shoppers", (c, sale) -> {
            sale.awaitPlaced(Math.max(1, sale.stock / 4), Duration.ofSeconds(60));
            c.nodes().kill9("cell1");
            c.nodes().start("cell1");
            c.nodes().awaitReady("cell1", Duration.ofSeconds(180));
        }), sale(ctx, "freeze Redis (SIGSTOP) during a flash sale", "the sale's shoppers", (c, sale) -> {
            sale.awaitPlaced(Math.max(1, sale.stock / 4), Duration.ofSeconds(60));
            long pid = c.infra().redisPid();
            c.infra().freeze(pid);
            try {
                Thread.sleep(c.options().seconds("sale-redis-freeze-seconds", 10, 3).toMillis()); // the freeze itself
            } finally {
                c.infra().thaw(pid);
            }
        }));
    }

    interface Fault {
        void inject(Context ctx, Sale sale) throws Exception;
    }

    private Verdict sale(Context ctx, String title, String who, Fault fault) throws Exception {
        int shoppers = (int) ctx.options().number("sale-shoppers", ctx.options().shortForm() ? 60 : 200);
        int stock = (int) ctx.options().number("sale-stock", ctx.options().shortForm() ? 20 : 60);
        Verdict v = new Verdict(id() + "-" + (title.startsWith("kill") ? "cell-kill" : "redis-freeze"), title,
                "every 201 order read back; no shopper with two orders; units sold = stock taken <= stock; every shopper answered");
        Sale sale = Sale.open(ctx, shoppers, stock);
        long t0 = System.nanoTime();
        sale.start();
        fault.inject(ctx, sale);
        sale.awaitEnd(Duration.ofSeconds(180));
        v.figure("shoppers / stock", shoppers + " / " + stock).figure("sale (ms)", (System.nanoTime() - t0) / 1_000_000)
                .figure(who + "' answers", new JsonObject(new HashMap<>(sale.statuses)).encode());
        sale.check(v);
        return v;
    }

    /** One sale: its shop, its shoppers (each a thread of its own) and what they were answered. */
    static final class Sale {
        final Context ctx;
        final ChaosShop shop;
        final String variant;
        final String product;
        final int stock;
        final List<String> carts = new ArrayList<>();
        final Map<Integer, String> ordersByShopper = new ConcurrentHashMap<>();
        final Map<Integer, String> endings = new ConcurrentHashMap<>();
        final Map<String, Integer> statuses = new ConcurrentHashMap<>();
        final AtomicInteger placed = new AtomicInteger();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService threads;
        final List<Future<?>> running = new ArrayList<>();

        private Sale(Context ctx, ChaosShop shop, String product, String variant, int stock) {
            this.ctx = ctx;
            this.shop = shop;
            this.product = product;
            this.variant = variant;
            this.stock = stock;
        }

        /** A new shop on cell1 (cell2 drained meanwhile) with one product of {@code stock} units, its room on, carts filled. */
        static Sale open(Context ctx, int shoppers, int stock) throws Exception {
            Setup setup = ctx.setup();
            String handle = "sale" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
            Setup.Answer drained = setup.send("POST", setup.control + "/api/controlplane/cells/cell2/drain", null, setup.token, null, null);
            Setup.check(drained, 200, "drain cell2");
            Setup.Shop created;
            try {
                created = setup.provision(handle, "basic");
            } finally {
                setup.send("POST", setup.control + "/api/controlplane/cells/cell2/undrain", null, setup.token, null, null);
            }
            setup.setLimits(created, 100_000, 200_000);
            String token = setup.adminToken(created);
            JsonObject v = setup.fill(created, token, 1, stock).getJsonObject(0);
            ChaosShop shop = new ChaosShop(created, token, setup.cellUrl(created.cell()), List.of(v.getString("id")));
            Setup.check(setup.send("PUT", shop.cellUrl() + "/api/admin/waiting-room", created.host(), token,
                    new JsonObject().put("enabled", true).put("admitPerSecond", 10), null), 200, "the waiting room");
            Sale sale = new Sale(ctx, shop, v.getString("product"), v.getString("id"), stock);
            for (int i = 0; i < shoppers; i++) {
                Setup.Answer cart = setup.send("POST", setup.gateway + "/api/storefront/carts", created.host(), null, null, null);
                Setup.check(cart, 201, "a cart");
                String id = cart.json().getString("id");
                Setup.check(setup.send("POST", setup.gateway + "/api/storefront/carts/" + id + "/lines", created.host(), null,
                        new JsonObject().put("variantId", sale.variant).put("quantity", 1), null), 200, "a cart line");
                sale.carts.add(id);
            }
            return sale;
        }

        /** The shoppers arrive, a few milliseconds apart, each on a thread of its own. */
        void start() throws InterruptedException {
            threads = Executors.newVirtualThreadPerTaskExecutor();
            for (int i = 0; i < carts.size(); i++) {
                int shopper = i;
                running.add(threads.submit(() -> shop(shopper)));
                Thread.sleep(10); // arrivals spread over the first seconds, not a wait for a condition
            }
        }

        void awaitPlaced(int orders, Duration timeout) throws InterruptedException {
            Deadline d = Deadline.in(timeout);
            while (placed.get() < orders && !d.passed()) {
                Thread.sleep(50); // polling interval
            }
        }

        void awaitEnd(Duration timeout) throws Exception {
            for (Future<?> f : running) {
                f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            threads.shutdown();
        }

        /** One shopper: checks out, waits its turn, and asks again whatever goes wrong, until an order or "sold out". */
        private void shop(int shopper) {
            String key = "sale-" + shopper + "-" + carts.get(shopper);
            String ticket = null;
            Deadline d = Deadline.in(Duration.ofSeconds(170));
            while (!d.passed()) {
                Answer a = send("POST", "/api/storefront/checkouts", new JsonObject().put("cartId", carts.get(shopper))
                        .put("email", "shopper-" + shopper + "@sale.example").encode(), key, ticket);
                count("checkout " + a.status);
                if (a.status == 201) {
                    ordersByShopper.put(shopper, a.body.getString("id"));
                    placed.incrementAndGet();
                    endings.put(shopper, "placed");
                    return;
                }
                if (a.status == 409 && !"Idempotency-Key".equals(field(a.body))) {
                    endings.put(shopper, "sold out");
                    return;
                }
                if (a.status == 400 && "Queue-Ticket".equals(field(a.body))) {
                    ticket = null; // the queue lost its key (a new one is made): join again
                    continue;
                }
                if (a.status == 202) {
                    ticket = a.body.getString("ticket");
                    while (!d.passed()) {
                        pause(a.retryAfterMillis);
                        a = send("GET", "/api/storefront/queue", null, null, ticket);
                        count("queue " + a.status);
                        String status = a.status == 200 ? a.body.getString("status") : "";
                        if (status.equals("admitted") || a.status == 400) {
                            break;
                        }
                        if (status.equals("sold_out")) {
                            endings.put(shopper, "sold out");
                            return;
                        }
                    }
                    continue;
                }
                pause(a.retryAfterMillis); // 5xx, 429, a refused connection while the cell is down: ask again
            }
            endings.put(shopper, "no answer within 170 s");
        }

        private static String field(JsonObject problem) {
            JsonArray errors = problem == null ? null : problem.getJsonArray("errors");
            return errors == null || errors.isEmpty() ? null : errors.getJsonObject(0).getString("field");
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(Math.max(1000, millis)); // the Retry-After given, at least a second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void count(String what) {
            statuses.merge(what, 1, Integer::sum);
        }

        record Answer(int status, JsonObject body, long retryAfterMillis) {}

        private Answer send(String method, String path, String body, String key, String ticket) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ctx.setup().gateway + path)).timeout(Duration.ofSeconds(20))
                    .header("Host", shop.shop().host());
            if (key != null) {
                b.header("Idempotency-Key", key);
            }
            if (ticket != null) {
                b.header("Queue-Ticket", ticket);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                JsonObject json = r.body().startsWith("{") ? new JsonObject(r.body()) : null;
                long retry = r.headers().firstValue("Retry-After").map(s -> Long.parseLong(s.trim()) * 1000).orElse(1000L);
                return new Answer(r.statusCode(), json, retry);
            } catch (IOException e) {
                return new Answer(-1, null, 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(-1, null, 1000);
            }
        }

        /** What the cell's database says after the sale, against what the shoppers were answered. */
        void check(Verdict v) throws Exception {
            Setup setup = ctx.setup();
            List<String> missing = new ArrayList<>();
            for (String order : ordersByShopper.values()) {
                Setup.Answer a = setup.send("GET", shop.cellUrl() + "/api/admin/orders/" + order, shop.shop().host(), shop.adminToken(),
                        null, null);
                if (a.status() != 200) {
                    missing.add(order + " (HTTP " + a.status() + ")");
                }
            }
            Map<String, Integer> ordersByEmail = new HashMap<>();
            int units = 0;
            String before = null;
            do {
                Setup.Answer page = setup.send("GET", shop.cellUrl() + "/api/admin/orders?limit=100"
                        + (before == null ? "" : "&before=" + before), shop.shop().host(), shop.adminToken(), null, null);
                Setup.check(page, 200, "the shop's orders");
                JsonArray items = page.json().getJsonArray("items");
                for (int i = 0; i < items.size(); i++) {
                    JsonObject o = items.getJsonObject(i);
                    ordersByEmail.merge(o.getString("email"), 1, Integer::sum);
                    JsonArray lines = o.getJsonArray("lines", new JsonArray());
                    for (int l = 0; l < lines.size(); l++) {
                        units += lines.getJsonObject(l).getInteger("quantity");
                    }
                }
                before = page.json().getString("next");
            } while (before != null);
            int left = setup.stock(shop.shop(), shop.adminToken(), product).get(variant);
            long twice = ordersByEmail.values().stream().filter(n -> n > 1).count();
            long unanswered = carts.size() - endings.values().stream().filter(e -> e.equals("placed") || e.equals("sold out")).count();
            int orders = ordersByEmail.values().stream().mapToInt(Integer::intValue).sum();
            v.figure("orders answered 201", ordersByShopper.size()).figure("orders in the database", orders)
                    .figure("units in orders / stock left / stock", units + " / " + left + " / " + stock);
            v.check(missing.isEmpty(), missing.size() + " orders answered 201 not found: " + missing);
            v.check(twice == 0, twice + " shoppers with more than one order");
            v.check(orders == ordersByShopper.size(), orders + " orders in the database for " + ordersByShopper.size()
                    + " answered 201 (an order nobody was told of, or a lost one)");
            v.check(units + left == stock && left >= 0, "units in orders " + units + " + stock left " + left + " != stock " + stock);
            v.check(unanswered == 0, unanswered + " shoppers without an order or a \"sold out\"");
            v.check(left == 0 || carts.size() <= stock, "the sale ended with " + left + " units left for " + carts.size() + " shoppers");
        }
    }
}
