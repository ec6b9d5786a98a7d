package bench.driver.chaos;

import bench.driver.Setup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Every documented operation of every role, from the OpenAPI document each node serves: the cell's
 * storefront and admin operations through the gateway and straight to the cell, the control plane's
 * operator API with the operator token, the gateway's own operations. Each is sent as a valid-looking
 * base request, then with one parameter or body field at a time malformed, oversized, with NUL or
 * control characters, of the wrong type, or missing ({@link FuzzCases}). Verdict: no 5xx and no
 * request left without an answer.
 */
final class Fuzz implements Scenario {

    @Override
    public String id() {
        return "fuzz";
    }

    record Target(String name, String url, String docNode, String hostHeader) {}

    @Override
    public List<Verdict> run(Context ctx) throws Exception {
        Verdict v = new Verdict(id(), "fuzz every documented operation of every role",
                "0 answers 5xx and 0 requests without an answer within 10 s");
        Setup setup = ctx.setup();
        // a shop of its own, its rate limit lifted, with one product, a cart and an order to aim at
        Setup.Shop shop = setup.provision("chaosfz" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36), "basic");
        setup.setLimits(shop, 1_000_000, 1_000_000);
        String admin = setup.adminToken(shop);
        JsonObject variant = setup.fill(shop, admin, 1, 1_000_000).getJsonObject(0);
        Map<String, String> ids = knownIds(setup, shop, variant);

        String template = ctx.options().get("openapi-url", "{management}/q/openapi?format=json");
        String cellNode = shop.cell();
        List<Target> targets = List.of(
                new Target(cellNode + " direct", ctx.nodes().url(cellNode), cellNode, shop.host()),
                new Target("gateway (cell operations)", ctx.gateway(), cellNode, shop.host()),
                new Target("gateway", ctx.gateway(), "gateway", shop.host()),
                new Target("control", ctx.control(), "control", null));
        Map<String, JsonObject> docs = new HashMap<>();
        List<String> findings = new ArrayList<>();
        int fiveHundreds = 0;
        int noAnswer = 0;
        long total = 0;
        JsonObject perTarget = new JsonObject();
        for (Target t : targets) {
            JsonObject doc = docs.get(t.docNode());
            if (doc == null) {
                String url = ctx.nodes().expand(template, t.docNode());
                Setup.Answer a = setup.send("GET", url, null, null, null, null);
                Setup.check(a, 200, "OpenAPI document of " + t.docNode() + " at " + url);
                doc = new JsonObject(a.body());
                docs.put(t.docNode(), doc);
            }
            URI u = URI.create(t.url());
            String host = t.hostHeader() == null ? u.getHost() + ":" + u.getPort() : t.hostHeader();
            FuzzCases gen = new FuzzCases(doc, path -> known(path, ids));
            TreeMap<String, Integer> statuses = new TreeMap<>();
            int ops = 0;
            JsonObject paths = doc.getJsonObject("paths", new JsonObject());
            for (String path : paths.fieldNames()) {
                JsonObject item = paths.getJsonObject(path);
                for (String method : item.fieldNames()) {
                    if (!List.of("get", "post", "put", "delete", "patch").contains(method)) {
                        continue;
                    }
                    JsonObject op = item.getJsonObject(method);
                    ops++;
                    List<FuzzRequest.Header> fixed = new ArrayList<>();
                    fixed.add(FuzzRequest.Header.of("Host", host));
                    String bearer = bearer(op, admin, ctx.token());
                    if (bearer != null) {
                        fixed.add(FuzzRequest.Header.of("Authorization", "Bearer " + bearer));
                    }
                    for (FuzzRequest r : gen.cases(path, method, op, fixed)) {
                        RawHttp.Result res = RawHttp.send(u.getHost(), u.getPort(), r, 10_000);
                        total++;
                        String key = res.status() == -1 ? "no answer" : res.status() == -2 ? "closed" : (res.status() / 100) + "xx";
                        statuses.merge(key, 1, Integer::sum);
                        if (res.status() >= 500 || res.status() == -1) {
                            if (res.status() >= 500) {
                                fiveHundreds++;
                            } else {
                                noAnswer++;
                            }
                            findings.add(t.name() + ": " + (res.status() == -1 ? "no answer" : Integer.toString(res.status())) + " for "
                                    + r.describe() + (res.snippet().isEmpty() ? "" : " -> " + res.snippet()));
                        }
                    }
                }
            }
            JsonObject st = new JsonObject();
            statuses.forEach(st::put);
            perTarget.put(t.name(), new JsonObject().put("operations", ops).put("answers", st));
            System.err.printf("fuzz %s: %d operations, %s%n", t.name(), ops, st.encode());
        }
        v.figure("requests", total).figure("5xx", fiveHundreds).figure("no answer", noAnswer).figure("per target", perTarget);
        v.figure("findings", new JsonArray(new ArrayList<>(findings)));
        v.check(fiveHundreds == 0, fiveHundreds + " answers 5xx (listed in the figures 'findings')");
        v.check(noAnswer == 0, noAnswer + " requests without an answer within 10 s");
        findings.stream().limit(40).forEach(f -> System.err.println("FINDING " + f));
        return List.of(v);
    }

    private static String bearer(JsonObject op, String staffToken, String operatorToken) {
        JsonArray sec = op.getJsonArray("security", new JsonArray());
        for (int i = 0; i < sec.size(); i++) {
            JsonObject s = sec.getJsonObject(i);
            if (s.containsKey("operator")) {
                return operatorToken;
            }
            if (s.containsKey("staff")) {
                return staffToken;
            }
        }
        return null;
    }

    /** Ids of real objects of the fuzz shop: a product and its variant, a cart, an order and its status token. */
    private static Map<String, String> knownIds(Setup setup, Setup.Shop shop, JsonObject variant) throws Exception {
        Map<String, String> ids = new HashMap<>();
        ids.put("product", variant.getString("product"));
        ids.put("variant", variant.getString("id"));
        ids.put("tenant", shop.id());
        String gw = setup.gateway;
        Setup.Answer cart = setup.send("POST", gw + "/api/storefront/carts", shop.host(), null, null, null);
        Setup.check(cart, 201, "fuzz cart");
        String orderCart = cart.json().getString("id");
        Setup.check(setup.send("POST", gw + "/api/storefront/carts/" + orderCart + "/lines", shop.host(), null,
                new JsonObject().put("variantId", variant.getString("id")).put("quantity", 1), null), 200, "fuzz cart line");
        Setup.Answer order = setup.send("POST", gw + "/api/storefront/checkouts", shop.host(), null,
                new JsonObject().put("cartId", orderCart).put("email", "fuzz@fuzz.example"), "fuzz-" + UUID.randomUUID());
        Setup.check(order, 201, "fuzz order");
        ids.put("order", order.json().getString("id"));
        ids.put("orderToken", order.json().getString("statusToken"));
        Setup.Answer cart2 = setup.send("POST", gw + "/api/storefront/carts", shop.host(), null, null, null);
        Setup.check(cart2, 201, "fuzz cart");
        ids.put("cart", cart2.json().getString("id"));
        return ids;
    }

    /** Base values for an operation's parameters and body fields, by name (and by the path for "id"). */
    private static Map<String, String> known(String path, Map<String, String> ids) {
        Map<String, String> m = new HashMap<>();
        m.put("cartId", ids.get("cart"));
        m.put("variantId", ids.get("variant"));
        m.put("orderId", ids.get("order"));
        m.put("Order-Token", ids.get("orderToken"));
        m.put("token", ids.get("orderToken"));
        m.put("handle", path.contains("/products") ? "p-0" : "fuzzhandle" + Long.toString(System.nanoTime() % 1_000_000L, 36));
        m.put("Idempotency-Key", "fuzz-" + UUID.randomUUID());
        if (path.contains("/products/{id}")) {
            m.put("id", ids.get("product"));
        } else if (path.contains("/variants/{id}")) {
            m.put("id", ids.get("variant"));
        } else if (path.contains("/orders/{id}")) {
            m.put("id", ids.get("order"));
        } else if (path.contains("/tenants/{id}")) {
            m.put("id", ids.get("tenant"));
        } else if (path.contains("/cells/{id}")) {
            m.put("id", "fuzz-no-such-cell");
        }
        return m;
    }
}
