package bench.driver;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Scenario 10, a flash sale: {@code --shoppers} shoppers (10,000) arrive open-loop within {@code --seconds} (10) to
 * buy one unit each of a variant with {@code --stock} units (100), through the gateway, at a shop whose merchant
 * turned its waiting room on ahead of the sale ({@code --admit} checkouts admitted per second). Each shopper's cart
 * (one unit of the variant) is filled before the sale. A rehearsal comes first, not measured: a fifth of the shoppers
 * for a fifth of the stock of the shop's second variant, so that every process has compiled the sale's paths. A shopper checks out; answered 202 it waits for the
 * {@code Retry-After} it was given and asks the queue's status URL where its ticket stands, again and again, until it
 * is admitted (then it checks out with its ticket) or told the stock is sold out; answered 503 or 429 with
 * {@code Retry-After} it waits that long and asks again. Meanwhile the other shops of the same cell are read (and one
 * of them takes orders) at a steady rate, as they were for as long before the sale, alone.
 * <p>
 * Measured: orders placed (exactly the stock), the stock left (0, read from the database through the admin API),
 * how long after the last unit sold each other shopper was told "sold out" (from the later of that moment and its
 * arrival), answers 5xx, shoppers answered neither way, how far the queue's ticket order strays from the arrival order
 * and where in the arrival order the buyers were, shoppers told to come back who then had to wait longer than their
 * expected wait plus a second, the driver's own lateness (its timers and arrivals against their schedule: the driver
 * is not the limit while that stays small), and the quiet shops' p99 with the sale against without it.
 *
 * <pre>
 *   flash-sale --control=URL --gateway=URL --token=T --shops=FILE --shoppers=N --seconds=S --stock=N --admit=R
 *              --quiet-rate=R --quiet-checkout-rate=R --warmup-seconds=W --tail-seconds=T --out=FILE
 * </pre>
 * The shops file is a {@code provision} result with two products per shop: every shop but the last is quiet, the last
 * one holds the sale (of its first variant; the rehearsal is of its second).
 */
final class FlashSale {

    private FlashSale() {}

    enum Outcome { WAITING, PLACED, SOLD_OUT, FAILED }

    /** One shopper of the sale; touched on the sale's event loop only. */
    static final class Shopper {
        final int index;
        final String cart;
        final String key;
        long intended;
        String ticket;
        long ticketNumber = -1;
        long expectedWaitSeconds;
        long lastWaitAnswer;
        int requests;
        int retries;
        int brokenPromises;
        Outcome outcome = Outcome.WAITING;
        long done;
        int failedStatus;

        Shopper(int index, String cart) {
            this.index = index;
            this.cart = cart;
            this.key = "sale-" + index + "-" + cart;
        }
    }

    static int run(Map<String, List<String>> args) throws Exception {
        JsonArray shops = new JsonObject(Files.readString(Path.of(Main.one(args, "shops", null)))).getJsonArray("list");
        if (shops == null || shops.size() < 2) {
            throw new IllegalArgumentException("the shops file needs at least two shops (quiet ones and the sale's)");
        }
        Setup setup = new Setup(Main.one(args, "control", null), Main.one(args, "gateway", null), Main.one(args, "token", null));
        Ops.Target gateway = Ops.Target.of(Main.one(args, "gateway", null));
        int shoppers = Main.num(args, "shoppers", 10_000);
        int seconds = Main.num(args, "seconds", 10);
        int stock = Main.num(args, "stock", 100);
        int admit = Main.num(args, "admit", 50);
        int warmup = Main.num(args, "warmup-seconds", 5);
        int tail = Main.num(args, "tail-seconds", 5);
        double quietRate = Double.parseDouble(Main.one(args, "quiet-rate", "200"));
        double quietCheckoutRate = Double.parseDouble(Main.one(args, "quiet-checkout-rate", "5"));

        JsonObject saleJson = shops.getJsonObject(shops.size() - 1);
        Setup.Shop sale = Setup.fromJson(saleJson);
        String saleToken = saleJson.getString("adminToken");
        JsonObject variant = saleJson.getJsonArray("variants").getJsonObject(0);
        String variantId = variant.getString("id");
        List<String> quietHosts = new ArrayList<>();
        for (int i = 0; i < shops.size() - 1; i++) {
            quietHosts.add(shops.getJsonObject(i).getString("handle") + "." + Setup.DOMAIN);
        }
        JsonObject firstQuiet = shops.getJsonObject(0);
        List<String> firstQuietVariants = new ArrayList<>();
        firstQuiet.getJsonArray("variants").forEach(v -> firstQuietVariants.add(((JsonObject) v).getString("id")));

        // the sale shop: a plan whose gateway limit does not stop its shoppers, the sale's stock, the waiting room on
        setup.setLimits(sale, 1_000_000, 2_000_000);
        String cellUrl = setup.cellUrl(sale.cell());
        Setup.Answer adjusted = setup.send("POST", cellUrl + "/api/admin/variants/" + variantId + "/inventory-adjustments", sale.host(),
                saleToken, new JsonObject().put("delta", stock - variant.getInteger("stock")).put("reason", "flash sale"), null);
        Setup.check(adjusted, 200, "the sale's stock");
        Setup.Answer room = setup.send("PUT", cellUrl + "/api/admin/waiting-room", sale.host(), saleToken,
                new JsonObject().put("enabled", true).put("admitPerSecond", admit), null);
        Setup.check(room, 200, "the waiting room");
        // a rehearsal before: a fifth of the shoppers for a fifth of the stock of a second variant, not measured (every
        // process has compiled the sale's paths by the sale, as a platform that runs for days has)
        JsonObject rehearsalVariant = saleJson.getJsonArray("variants").getJsonObject(1);
        int rehearsalStock = Math.max(1, stock / 5);
        Setup.check(setup.send("POST", cellUrl + "/api/admin/variants/" + rehearsalVariant.getString("id") + "/inventory-adjustments",
                sale.host(), saleToken, new JsonObject().put("delta", rehearsalStock - rehearsalVariant.getInteger("stock"))
                        .put("reason", "flash sale rehearsal"), null), 200, "the rehearsal's stock");

        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setBlockedThreadCheckInterval(60_000));
        HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout(5_000).setIdleTimeout(60), new io.vertx.core.http.PoolOptions()
                .setHttp1MaxSize(Main.num(args, "connections", 512)).setMaxWaitQueueSize(-1));
        io.vertx.core.Context loop = vertx.getOrCreateContext();
        Sale run = new Sale(vertx, client, gateway, sale.host(), variantId);
        try {
            Sale rehearsal = new Sale(vertx, client, gateway, sale.host(), rehearsalVariant.getString("id"));
            List<Shopper> rehearsing = rehearsal.fillCarts(loop, Math.max(1, shoppers / 5), 16);
            long t0 = System.nanoTime();
            List<Shopper> all = run.fillCarts(loop, shoppers, 16);
            long fillMs = (System.nanoTime() - t0) / 1_000_000;
            System.err.printf("flash sale: %d carts filled in %d ms%n", all.size(), fillMs);
            long rehearsalStart = rehearsal.arrive(loop, rehearsing, seconds);
            rehearsal.awaitAll(120);
            JsonObject rehearsed = rehearsal.result(rehearsing, rehearsalStart, rehearsalStock, -1, admit);
            System.err.printf("flash sale: rehearsal with %d shoppers: %d placed of %d, answers %s%n", rehearsing.size(),
                    rehearsed.getLong("placed"), rehearsalStock, rehearsed.getJsonObject("statuses").encode());

            // the quiet shops, alone, then beside the sale (the same length of time)
            OpenLoop quiet = Main.engine(128);
            AtomicLong seq = new AtomicLong();
            Ops.CheckoutTally quietTally = new Ops.CheckoutTally();
            List<OpenLoop.Stream> quietStreams = List.of(
                    new OpenLoop.Stream("quiet-reads", quietRate, reads(gateway, quietHosts)),
                    new OpenLoop.Stream("quiet-checkouts", quietCheckoutRate,
                            Ops.checkout(gateway, firstQuiet.getString("handle") + "." + Setup.DOMAIN, firstQuietVariants, quietTally, seq)));
            int window = seconds + tail;
            quiet.run(quietStreams, warmup, 1000, 3);
            List<OpenLoop.Recorder> alone = quiet.run(quietStreams, window, 1000, 11);
            CompletableFuture<List<OpenLoop.Recorder>> beside = new CompletableFuture<>();
            Thread quietThread = Thread.ofPlatform().name("quiet").start(() -> {
                try {
                    beside.complete(quiet.run(quietStreams, window, 1000, 11));
                } catch (Throwable e) {
                    beside.completeExceptionally(e);
                }
            });
            System.err.printf("flash sale: the sale starts at %s%n", java.time.LocalTime.now());
            long saleStart = run.arrive(loop, all, seconds);
            run.awaitAll(120);
            quietThread.join();
            List<OpenLoop.Recorder> withSale = beside.get();
            quiet.vertx().close();

            int left = setup.stock(sale, saleToken, variant.getString("product")).get(variantId);
            JsonObject out = run.result(all, saleStart, stock, left, admit)
                    .put("shoppers", shoppers).put("arrivalSeconds", seconds).put("admitPerSecond", admit)
                    .put("cartFillMs", fillMs).put("rehearsal", new JsonObject().put("shoppers", rehearsing.size())
                            .put("stock", rehearsalStock).put("placed", rehearsed.getLong("placed"))
                            .put("statuses", rehearsed.getJsonObject("statuses")))
                    .put("quietShops", quietHosts.size()).put("quietRate", quietRate)
                    .put("quietCheckoutRate", quietCheckoutRate).put("quietWindowSeconds", window);
            double aloneP99 = alone.get(0).toJson().getJsonObject("latencyMs").getDouble("p99");
            double saleP99 = withSale.get(0).toJson().getJsonObject("latencyMs").getDouble("p99");
            double aloneCheckoutP99 = alone.get(1).toJson().getJsonObject("latencyMs").getDouble("p99");
            double saleCheckoutP99 = withSale.get(1).toJson().getJsonObject("latencyMs").getDouble("p99");
            out.put("quiet", new JsonObject()
                    .put("readsAlone", alone.get(0).toJson()).put("readsWithSale", withSale.get(0).toJson())
                    .put("checkoutsAlone", alone.get(1).toJson()).put("checkoutsWithSale", withSale.get(1).toJson())
                    .put("readP99AloneMs", aloneP99).put("readP99WithSaleMs", saleP99)
                    .put("readP99Ratio", aloneP99 > 0 ? OpenLoop.round(saleP99 / aloneP99, 3) : 0.0)
                    .put("checkoutP99AloneMs", aloneCheckoutP99).put("checkoutP99WithSaleMs", saleCheckoutP99)
                    .put("checkoutP99Ratio", aloneCheckoutP99 > 0 ? OpenLoop.round(saleCheckoutP99 / aloneCheckoutP99, 3) : 0.0));
            List<String> problems = new ArrayList<>();
            if (out.getLong("placed") != stock) {
                problems.add(out.getLong("placed") + " orders placed for a stock of " + stock);
            }
            if (left != 0) {
                problems.add(left + " units left after the sale");
            }
            if (out.getLong("answers5xxOther") > 0) {
                problems.add(out.getLong("answers5xxOther") + " answers 5xx other than 503 with Retry-After");
            }
            if (out.getLong("unanswered") > 0) {
                problems.add(out.getLong("unanswered") + " shoppers answered neither \"placed\" nor \"sold out\"");
            }
            out.put("consistent", problems.isEmpty()).put("problems", new JsonArray(problems));
            Main.write(Main.one(args, "out", null), out);
            System.err.printf("flash sale: %d placed of %d, %d left, sold out told within %.0f ms (max) of the last sale,"
                            + " %d 5xx, %d unanswered; quiet p99 %.1f -> %.1f ms%n", out.getLong("placed"), stock, left,
                    out.getJsonObject("soldOutAfterLastSaleMs").getDouble("max", 0.0), out.getLong("answers5xxOther"),
                    out.getLong("unanswered"), aloneP99, saleP99);
            problems.forEach(p -> System.err.println("FLASH SALE: " + p));
            return problems.isEmpty() ? 0 : 1;
        } finally {
            vertx.close();
        }
    }

    /** Reads of a random quiet shop's first product. */
    private static OpenLoop.Op reads(Ops.Target gateway, List<String> hosts) {
        return (client, random) -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(gateway.host())
                        .setPort(gateway.port()).setURI("/api/storefront/products/p-0").setTimeout(Ops.TIMEOUT_MS)
                        .putHeader(HttpHeaders.HOST, hosts.get(random.nextInt(hosts.size()))))
                .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode()));
    }

    /** The sale's shoppers, run on one event loop. */
    static final class Sale {
        final Vertx vertx;
        final HttpClient client;
        final Ops.Target gateway;
        final String host;
        final String variant;
        final Histogram requestMicros = new Histogram(60_000_000L, 3);
        final Map<String, Long> statuses = new TreeMap<>();
        long other5xx;
        long timerLatenessMaxMicros;
        long arrivalLatenessMaxMicros;
        final List<Long> admittedTicketOrder = new ArrayList<>();
        long outstandingShoppers;
        final CountDownLatch finished = new CountDownLatch(1);

        Sale(Vertx vertx, HttpClient client, Ops.Target gateway, String host, String variant) {
            this.vertx = vertx;
            this.client = client;
            this.gateway = gateway;
            this.host = host;
            this.variant = variant;
        }

        /** Creates the shoppers' carts, each with one unit of the sale's variant, {@code parallel} at a time. */
        List<Shopper> fillCarts(io.vertx.core.Context loop, int count, int parallel) throws Exception {
            List<Shopper> shoppers = new ArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicLong next = new AtomicLong();
            AtomicLong running = new AtomicLong(parallel);
            loop.runOnContext(v -> {
                for (int i = 0; i < parallel; i++) {
                    fillNext(count, next, running, shoppers, done);
                }
            });
            done.get(10, TimeUnit.MINUTES);
            shoppers.sort(Comparator.comparingInt(s -> s.index));
            return shoppers;
        }

        private void fillNext(int count, AtomicLong next, AtomicLong running, List<Shopper> shoppers, CompletableFuture<Void> done) {
            int index = (int) next.getAndIncrement();
            if (index >= count) {
                if (running.decrementAndGet() == 0) {
                    done.complete(null);
                }
                return;
            }
            patiently(HttpMethod.POST, "/api/storefront/carts", null)
                    .compose(cart -> {
                        if (cart.status() != 201) {
                            return Future.failedFuture("a cart was answered " + cart.status());
                        }
                        String id = cart.body().getString("id");
                        return patiently(HttpMethod.POST, "/api/storefront/carts/" + id + "/lines",
                                new JsonObject().put("variantId", variant).put("quantity", 1)).compose(added -> added.status() == 200
                                ? Future.succeededFuture(new Shopper(index, id))
                                : Future.failedFuture("adding to a cart was answered " + added.status()));
                    })
                    .onSuccess(s -> {
                        shoppers.add(s);
                        fillNext(count, next, running, shoppers, done);
                    })
                    .onFailure(done::completeExceptionally);
        }

        /** A request, sent again after its {@code Retry-After} (at least a second) while it is shed (503 or 429). */
        private Future<Ops.Answer> patiently(HttpMethod method, String path, JsonObject body) {
            return Ops.call(client, gateway, host, method, path, body, null).compose(answer -> {
                if ((answer.status() == 503 || answer.status() == 429) && answer.retryAfter()) {
                    Promise<Ops.Answer> again = Promise.promise();
                    vertx.setTimer(Math.max(1, answer.retryAfterSeconds()) * 1000, id -> patiently(method, path, body).onComplete(again));
                    return again.future();
                }
                return Future.succeededFuture(answer);
            });
        }

        /** Lets the shoppers arrive, evenly spread over {@code seconds}; returns the sale's start (nanos). */
        long arrive(io.vertx.core.Context loop, List<Shopper> shoppers, int seconds) {
            CompletableFuture<Void> counted = new CompletableFuture<>();
            loop.runOnContext(v -> {
                outstandingShoppers = shoppers.size();
                counted.complete(null);
            });
            counted.join();
            long start = System.nanoTime() + 20_000_000L;
            double interval = seconds * 1e9 / shoppers.size();
            Thread.ofPlatform().name("arrivals").start(() -> {
                int n = 0;
                while (n < shoppers.size()) {
                    long intended = start + (long) (n * interval);
                    long now = System.nanoTime();
                    if (intended > now) {
                        LockSupport.parkNanos(intended - now);
                        continue;
                    }
                    List<Shopper> due = new ArrayList<>();
                    while (n < shoppers.size() && start + (long) (n * interval) <= now) {
                        Shopper s = shoppers.get(n);
                        s.intended = start + (long) (n * interval);
                        due.add(s);
                        n++;
                    }
                    loop.runOnContext(v -> {
                        long at = System.nanoTime();
                        for (Shopper s : due) {
                            arrivalLatenessMaxMicros = Math.max(arrivalLatenessMaxMicros, (at - s.intended) / 1000);
                            checkout(s);
                        }
                    });
                }
            });
            return start;
        }

        void awaitAll(int timeoutSeconds) throws InterruptedException {
            if (!finished.await(timeoutSeconds, TimeUnit.SECONDS)) {
                System.err.println("flash sale: shoppers still waiting after " + timeoutSeconds + " s");
            }
            CompletableFuture<Void> sync = new CompletableFuture<>();
            vertx.getOrCreateContext().runOnContext(v -> sync.complete(null));
            sync.join();
        }

        private void checkout(Shopper s) {
            JsonObject body = new JsonObject().put("cartId", s.cart).put("email", "shopper-" + s.index + "@sale.example");
            Map<String, String> headers = s.ticket == null ? Map.of("Idempotency-Key", s.key)
                    : Map.of("Idempotency-Key", s.key, "Queue-Ticket", s.ticket);
            send(s, "checkout", HttpMethod.POST, "/api/storefront/checkouts", body, headers, (status, answer, retryAfter) -> {
                switch (status) {
                    case 201 -> finish(s, Outcome.PLACED, 0);
                    case 409 -> finish(s, Outcome.SOLD_OUT, 0);
                    case 202 -> {
                        s.ticket = answer.getString("ticket");
                        s.ticketNumber = number(s.ticket);
                        waited(s, answer);
                        later(s, retryAfter, () -> poll(s));
                    }
                    default -> retryOrFail(s, status, retryAfter, () -> checkout(s));
                }
            });
        }

        private void poll(Shopper s) {
            send(s, "queue", HttpMethod.GET, "/api/storefront/queue", null, Map.of("Queue-Ticket", s.ticket),
                    (status, answer, retryAfter) -> {
                        if (status != 200 || answer == null) {
                            retryOrFail(s, status, retryAfter, () -> poll(s));
                            return;
                        }
                        switch (answer.getString("status", "")) {
                            case "admitted" -> {
                                admittedTicketOrder.add(s.ticketNumber);
                                checkout(s);
                            }
                            case "sold_out" -> finish(s, Outcome.SOLD_OUT, 0);
                            default -> {
                                long now = System.nanoTime();
                                if (now - s.lastWaitAnswer > (s.expectedWaitSeconds + 1) * 1_000_000_000L) {
                                    s.brokenPromises++;
                                }
                                waited(s, answer);
                                later(s, retryAfter, () -> poll(s));
                            }
                        }
                    });
        }

        private static void waited(Shopper s, JsonObject answer) {
            s.expectedWaitSeconds = answer.getLong("expectedWaitSeconds", 0L);
            s.lastWaitAnswer = System.nanoTime();
        }

        private void retryOrFail(Shopper s, int status, long retryAfter, Runnable again) {
            if ((status == 503 || status == 429) && retryAfter >= 0) {
                s.retries++;
                later(s, retryAfter, again);
                return;
            }
            if (status >= 500 || status < 0) {
                other5xx += status >= 500 ? 1 : 0;
            }
            s.failedStatus = status;
            finish(s, Outcome.FAILED, status);
        }

        private void later(Shopper s, long retryAfterSeconds, Runnable then) {
            long delayMs = Math.max(1, retryAfterSeconds * 1000);
            long due = System.nanoTime() + delayMs * 1_000_000L;
            vertx.setTimer(delayMs, id -> {
                timerLatenessMaxMicros = Math.max(timerLatenessMaxMicros, (System.nanoTime() - due) / 1000);
                then.run();
            });
        }

        private void finish(Shopper s, Outcome outcome, int status) {
            s.outcome = outcome;
            s.done = System.nanoTime();
            if (--outstandingShoppers == 0) {
                finished.countDown();
            }
        }

        interface Answered {
            void on(int status, JsonObject body, long retryAfterSeconds);
        }

        /** One request of a shopper, timed and counted by kind and status; a request without an answer is status -1. */
        private void send(Shopper s, String what, HttpMethod method, String path, JsonObject body, Map<String, String> headers,
                          Answered then) {
            s.requests++;
            long sent = System.nanoTime();
            Ops.request(client, gateway, host, method, path, body, headers).onComplete(ar -> {
                long micros = Math.max(1, (System.nanoTime() - sent) / 1000);
                requestMicros.recordValue(Math.min(micros, requestMicros.getHighestTrackableValue()));
                Ops.Answer a = ar.succeeded() ? ar.result() : new Ops.Answer(-1, null, -1);
                statuses.merge(what + " " + a.status(), 1L, Long::sum);
                then.on(a.status(), a.body(), a.retryAfterSeconds());
            });
        }

        /** A ticket's number: its fourth dot-separated part. */
        static long number(String ticket) {
            if (ticket == null) {
                return -1;
            }
            String[] parts = ticket.split("\\.");
            try {
                return parts.length > 3 ? Long.parseLong(parts[3]) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        JsonObject result(List<Shopper> shoppers, long saleStart, int stock, int left, int admit) {
            long placed = 0;
            long soldOut = 0;
            long failed = 0;
            long waiting = 0;
            long lastSale = 0;
            long brokenPromises = 0;
            long retries = 0;
            long maxRequests = 0;
            int lastBuyerRank = -1;
            long buyersEarly = 0;
            for (Shopper s : shoppers) {
                switch (s.outcome) {
                    case PLACED -> {
                        placed++;
                        lastSale = Math.max(lastSale, s.done);
                        lastBuyerRank = Math.max(lastBuyerRank, s.index);
                        buyersEarly += s.index < stock + admit ? 1 : 0;
                    }
                    case SOLD_OUT -> soldOut++;
                    case FAILED -> failed++;
                    case WAITING -> waiting++;
                }
                brokenPromises += s.brokenPromises;
                retries += s.retries;
                maxRequests = Math.max(maxRequests, s.requests);
            }
            Histogram soldOutDelay = new Histogram(600_000_000L, 3);
            for (Shopper s : shoppers) {
                if (s.outcome == Outcome.SOLD_OUT) {
                    long from = Math.max(lastSale, s.intended);
                    soldOutDelay.recordValue(Math.max(1, (s.done - from) / 1000));
                }
            }
            // the queue's order against the arrival order: ticket numbers of ticketed shoppers by arrival
            List<Shopper> ticketed = shoppers.stream().filter(s -> s.ticketNumber >= 0).toList();
            List<Shopper> byTicket = new ArrayList<>(ticketed);
            byTicket.sort(Comparator.comparingLong(s -> s.ticketNumber));
            Map<Integer, Integer> ticketRank = new java.util.HashMap<>();
            for (int i = 0; i < byTicket.size(); i++) {
                ticketRank.put(byTicket.get(i).index, i);
            }
            long maxDisplacement = 0;
            for (int i = 0; i < ticketed.size(); i++) {
                maxDisplacement = Math.max(maxDisplacement, Math.abs(ticketRank.get(ticketed.get(i).index) - i));
            }
            // admissions seen out of ticket order by more than one second's admissions
            long admittedOutOfOrder = 0;
            long highest = -1;
            for (long n : admittedTicketOrder) {
                if (n < highest - admit) {
                    admittedOutOfOrder++;
                }
                highest = Math.max(highest, n);
            }
            JsonObject requests = OpenLoop.summary(requestMicros);
            return new JsonObject().put("stock", stock).put("placed", placed).put("stockLeft", left).put("soldOut", soldOut)
                    .put("unanswered", failed + waiting).put("failed", failed).put("stillWaiting", waiting)
                    .put("lastSaleAfterStartMs", lastSale > 0 ? OpenLoop.ms((lastSale - saleStart) / 1000) : null)
                    .put("soldOutAfterLastSaleMs", soldOutDelay.getTotalCount() == 0 ? new JsonObject()
                            : OpenLoop.summary(soldOutDelay))
                    .put("answers5xxOther", other5xx).put("retriesAfterRetryAfter", retries)
                    .put("waitedPastExpectedWait", brokenPromises).put("maxRequestsPerShopper", maxRequests)
                    .put("ticketed", ticketed.size()).put("ticketOrderMaxDisplacement", maxDisplacement)
                    .put("admittedOutOfTicketOrder", admittedOutOfOrder).put("admissionsSeen", admittedTicketOrder.size())
                    .put("lastBuyerArrivalRank", lastBuyerRank).put("buyersAmongFirstArrivals", buyersEarly)
                    .put("requestLatencyMs", requests).put("statuses", new JsonObject(new java.util.HashMap<>(statuses)))
                    .put("driver", new JsonObject().put("arrivalLatenessMaxMs", OpenLoop.ms(arrivalLatenessMaxMicros))
                            .put("timerLatenessMaxMs", OpenLoop.ms(timerLatenessMaxMicros)));
        }
    }
}
