package bench.driver;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** The operations the scenarios send. */
final class Ops {

    static final long TIMEOUT_MS = 10_000;

    private Ops() {}

    /** Where requests go: host and port of a node. */
    record Target(String host, int port) {
        static Target of(String url) {
            URI u = URI.create(url);
            return new Target(u.getHost(), u.getPort());
        }
    }

    /**
     * A GET of {@code pathTemplate} with Host {@code hostTemplate}: "{t}" in the host is replaced by a
     * uniformly random tenant index below {@code tenants}, "{p}" in the path by a random index below
     * {@code paths}. Without a host template the request carries no shop Host header.
     */
    static OpenLoop.Op get(Target target, String hostTemplate, int tenants, String pathTemplate, int paths) {
        return (client, random) -> {
            String path = pathTemplate.replace("{p}", Integer.toString(random.nextInt(Math.max(1, paths))));
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host())
                    .setPort(target.port()).setURI(path).setTimeout(TIMEOUT_MS);
            if (hostTemplate != null && !hostTemplate.isEmpty()) {
                options.putHeader(HttpHeaders.HOST, hostTemplate.replace("{t}", Integer.toString(random.nextInt(Math.max(1, tenants)))));
            }
            return client.request(options).compose(req -> req.send()).compose(Ops::drain);
        };
    }

    private static Future<Integer> drain(HttpClientResponse response) {
        return response.body().map(b -> response.statusCode());
    }

    /** Counts of what the checkouts did, for the consistency check (written on the event loop only). */
    static final class CheckoutTally {
        long placed;
        long soldOut;
        /** 503 with Retry-After: shed by the platform's admission or bulkheads under overload, nothing placed. */
        long shed;
        long quantityPlaced;
        final java.util.Map<String, Long> quantityByVariant = new java.util.TreeMap<>();
    }

    /**
     * One order: create a cart, add a random variant (quantity 1-3), check out with an
     * Idempotency-Key. Completes with the checkout's status (201 placed, 409 out of stock).
     */
    static OpenLoop.Op checkout(Target target, String shopHost, List<String> variantIds, CheckoutTally tally, AtomicLong seq) {
        return (client, random) -> order(client, target, shopHost, variantIds.get(random.nextInt(variantIds.size())),
                1 + random.nextInt(3), tally, seq);
    }

    /** One order of one unit of the given variant. */
    static Future<Integer> checkoutOne(HttpClient client, Target target, String shopHost, String variant, CheckoutTally tally,
                                       AtomicLong seq) {
        return order(client, target, shopHost, variant, 1, tally, seq);
    }

    static Future<Integer> order(HttpClient client, Target target, String shopHost, String variant, int quantity,
                                 CheckoutTally tally, AtomicLong seq) {
        return call(client, target, shopHost, HttpMethod.POST, "/api/storefront/carts", null, null)
                .compose(cart -> {
                    if (cart.status() != 201) {
                        return Future.succeededFuture(cart);
                    }
                    String cartId = cart.body().getString("id");
                    JsonObject line = new JsonObject().put("variantId", variant).put("quantity", quantity);
                    return call(client, target, shopHost, HttpMethod.POST, "/api/storefront/carts/" + cartId + "/lines", line, null)
                            .compose(added -> {
                                if (added.status() != 200) {
                                    return Future.succeededFuture(added);
                                }
                                JsonObject body = new JsonObject().put("cartId", cartId)
                                        .put("email", "shopper-" + seq.incrementAndGet() + "@bench.example");
                                return call(client, target, shopHost, HttpMethod.POST, "/api/storefront/checkouts", body,
                                        "bench-" + UUID.randomUUID());
                            });
                })
                .map(answer -> {
                    if (answer.status() == 201) {
                        tally.placed++;
                        tally.quantityPlaced += quantity;
                        tally.quantityByVariant.merge(variant, (long) quantity, Long::sum);
                    } else if (answer.status() == 409) {
                        tally.soldOut++;
                    } else if (answer.status() == 503 && answer.retryAfter()) {
                        tally.shed++;
                    }
                    return answer.status();
                });
    }

    /** An answer: its status, its JSON body (null if none), and its {@code Retry-After} in seconds (-1 without one). */
    record Answer(int status, JsonObject body, long retryAfterSeconds) {
        boolean retryAfter() {
            return retryAfterSeconds >= 0;
        }
    }

    static Future<Answer> call(HttpClient client, Target target, String shopHost, HttpMethod method, String path,
                               JsonObject body, String idempotencyKey) {
        return request(client, target, shopHost, method, path, body,
                idempotencyKey == null ? java.util.Map.of() : java.util.Map.of("Idempotency-Key", idempotencyKey));
    }

    /** A request with the shop's Host header and these others; a JSON body when there is one. */
    static Future<Answer> request(HttpClient client, Target target, String shopHost, HttpMethod method, String path,
                                  JsonObject body, java.util.Map<String, String> headers) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(target.host()).setPort(target.port())
                .setURI(path).setTimeout(TIMEOUT_MS).putHeader(HttpHeaders.HOST, shopHost);
        if (body != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        headers.forEach(options::putHeader);
        return client.request(options)
                .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), parse(b), seconds(resp.getHeader("Retry-After")))));
    }

    /** A {@code Retry-After} in seconds: -1 without one, 1 for one that is not a number of seconds. */
    private static long seconds(String retryAfter) {
        if (retryAfter == null) {
            return -1;
        }
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static JsonObject parse(Buffer b) {
        if (b == null || b.length() == 0 || b.getByte(0) != '{') {
            return null;
        }
        try {
            return b.toJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static JsonArray strings(List<String> values) {
        return new JsonArray(new java.util.ArrayList<>(values));
    }
}
