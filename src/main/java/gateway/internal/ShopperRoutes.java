package gateway.internal;

import gateway.internal.admission.Admission;
import gateway.internal.admission.Permit;
import gateway.internal.edgecache.EdgeCache;
import gateway.internal.ratelimit.RateLimiter;
import gateway.internal.signin.SignInGuard;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import platform.HostNames;
import platform.NodeRole;
import platform.Problem;
import platform.SignedTenantHeader;
import platform.StorefrontConfig;
import tenancy.TenantRoute;

/**
 * On a gateway, every request on the public port is shopper traffic for some shop's host name (the
 * platform refuses {@code /q/} there before this route runs): the host is looked up in the in-memory
 * route table, the tenant's rate limit is checked, and the request is forwarded to the tenant's cell
 * with method, normalised path, query, body and headers preserved (hop-by-hop headers dropped,
 * {@code Forwarded}/{@code X-Forwarded-*} and the signed tenant header added). Unknown hosts get 404,
 * suspended shops 403, over-limit tenants 429, sign-in floods from one client address 429 before they
 * reach a cell ({@link SignInGuard}), and a dead or failing cell a fast 502/503 for its own tenants only. The operator's views ({@code /q/gateway/top-tenants}, {@code /q/gateway/routes}) are
 * served on the management interface only.
 *
 * <p>Shoppers' anonymous reads under {@code /api/storefront/} go through the edge cache
 * ({@link EdgeCache}) after the rate limit: answered from it when it holds a fresh answer, else
 * fetched from the cell (one fetch per key at a time) and kept when the cell allows it.
 *
 * <p>Every request that goes to a cell (forwarded, or fetched for the edge cache) first asks the
 * cell's admission ({@link Admission}) for a permit, held until the exchange with the cell ends; a
 * request not admitted at once (the cell at its limit, the shop over its share) waits briefly for a
 * place and, when none comes, gets 503 with {@code Retry-After}.
 *
 * <p>Which host a request names ({@link RequestHost}): a request with more than one {@code Host}
 * header is refused with 400 (RFC 9112 §3.2); a request in absolute form
 * ({@code GET http://shop.example/path}) is routed by the target's authority, whatever its
 * {@code Host} header says (RFC 9112 §3.2.2), and forwarded to the cell in origin form with that
 * authority as its {@code Host}.
 */
@Singleton
class ShopperRoutes {

    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection", "host", "content-length");
    /** The shopper's conditional headers: the edge cache answers them itself and fetches full answers. */
    static final List<String> CONDITIONAL = List.of("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since",
            "If-Range", "Range");
    /** Where a waiting-room ticket's shopper asks how it stands (the storefront API's queue status). */
    static final String QUEUE_STATUS = "/api/storefront/queue";
    static final int FAILURES_TO_OPEN = 3;
    static final long OPEN_MILLIS = 2_000;

    @Inject StorefrontConfig config;
    @Inject RouteTable routes;
    @Inject RateLimiter limiter;
    @Inject SignInGuard signIns;
    @Inject EdgeCache edge;
    @Inject Admission admission;
    @Inject TopTenants top;
    @Inject MeterRegistry metrics;
    @Inject Vertx vertx;
    @Inject Clock clock;

    private HttpClient client;
    private final Map<String, CellCircuit> circuits = new ConcurrentHashMap<>();

    /** Consecutive failures of one cell; while open, its tenants get 503 at once. */
    static final class CellCircuit {
        final AtomicInteger failures = new AtomicInteger();
        volatile long openUntil;
    }

    void install(@Observes Router router) {
        if (config.role() != NodeRole.GATEWAY) {
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(1_000)
                .setIdleTimeout(60)
                .setKeepAlive(true)
                .setMaxPoolSize(200)
                .setMaxWaitQueueSize(2_000)
                .setDecompressionSupported(false));
        router.route().order(-1_000).handler(this::route);
    }

    /** The operator's views, on the management interface (never on the shoppers' port). */
    void installOperatorViews(@Observes ManagementInterface management) {
        if (config.role() != NodeRole.GATEWAY) {
            return;
        }
        management.router().get("/q/gateway/top-tenants").handler(this::topTenants);
        management.router().get("/q/gateway/routes").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("routes", routes.size()).put("loaded", routes.loaded()).encode()));
    }

    void route(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.pause();
        long start = System.nanoTime();
        RequestHost named = RequestHost.of(request);
        if (named.refusal() != null) {
            context.response().putHeader("Connection", "close");
            problem(context, 400, "Bad request", named.refusal());
            return;
        }
        String host = HostNames.normalise(named.authority()).orElse("");
        TenantRoute route = host.isEmpty() ? null : routes.route(host).orElse(null);
        if (route == null) {
            problem(context, 404, "Unknown shop", host.isEmpty() ? "The request names no valid host." : "No shop is served at " + host + ".");
            return;
        }
        if (!"active".equals(route.status())) {
            problem(context, 403, "Shop unavailable", "This shop is currently suspended.");
            count(route, "4xx", start);
            return;
        }
        if (SignInGuard.isSignIn(request.method(), context.normalizedPath())) {
            Optional<Duration> wait = signIns.attempt(
                    request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
            if (wait.isPresent()) {
                long retryAfter = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                context.response().putHeader("Retry-After", Long.toString(retryAfter))
                        .putHeader("RateLimit-Policy", signIns.policy());
                problem(context, 429, "Too many sign-in attempts",
                        "Too many sign-in attempts from this address; retry after " + retryAfter + " s.");
                count(route, "throttled", start);
                return;
            }
        }
        top.count(route.tenantId(), route.handle(), route.cellId());
        RateLimiter.Decision decision = limiter.acquire(route.tenantId(), route.requestsPerSecond(), route.burst());
        HttpServerResponse response = context.response();
        response.putHeader("RateLimit-Policy", route.requestsPerSecond() + ";w=1;burst=" + route.burst());
        response.putHeader("RateLimit", "limit=" + decision.limit() + ", remaining=" + decision.remaining()
                + ", reset=" + (long) Math.ceil(decision.resetMicros() / 1e6));
        if (!decision.allowed()) {
            long retryAfter = Math.max(1, (long) Math.ceil(decision.retryAfterMicros() / 1e6));
            response.putHeader("Retry-After", Long.toString(retryAfter));
            problem(context, 429, "Too many requests", "This shop is over its request rate; retry after " + retryAfter + " s.");
            count(route, "throttled", start);
            return;
        }
        forward(context, route, host, named.authority(), start);
    }

    private void forward(RoutingContext context, TenantRoute route, String host, String authority, long start) {
        CellCircuit circuit = circuits.computeIfAbsent(route.cellId(), id -> new CellCircuit());
        RequestOptions options = upstreamOptions(context, route, host, authority);
        if (edge.candidate(context)) {
            edge.serve(context, route.tenantId(), new CellUpstream(context, route, circuit, options, start));
            return;
        }
        send(context, route, circuit, options, start);
    }

    /** Forwards the request as it is and streams the cell's answer back. */
    private void send(RoutingContext context, TenantRoute route, CellCircuit circuit, RequestOptions options, long start) {
        if (System.currentTimeMillis() < circuit.openUntil) {
            circuitOpen(context);
            count(route, "5xx", start);
            return;
        }
        // reads keep to the shop's pace; writes (carts, checkouts) are never held back by it, nor are the looks of
        // shoppers in a waiting room: the room rations those itself (their Retry-After), and a sale's shoppers must learn
        // their turn or "sold out" when it comes (ADR 0028)
        HttpMethod method = context.request().method();
        boolean paced = (method == HttpMethod.GET || method == HttpMethod.HEAD) && !QUEUE_STATUS.equals(context.request().path());
        admission.admitOrWait(route.cellId(), route.tenantId(), paced).onComplete(admitted -> {
            if (admitted.failed()) {
                shed(context, route, start);
                return;
            }
            if (context.response().closed()) { // the client left while the request waited: its place goes back
                admitted.result().failed(false);
                return;
            }
            exchange(context, route, circuit, options, start, admitted.result());
        });
    }

    /** Sends the request to the cell with the permit it was admitted with. */
    private void exchange(RoutingContext context, TenantRoute route, CellCircuit circuit, RequestOptions options, long start,
                          Permit permit) {
        HttpServerRequest in = context.request();
        client.request(options).onComplete(ready -> {
            if (ready.failed()) {
                permit.failed(timedOut(ready.cause()));
                cellFailed(context, route, circuit, start, ready.cause());
                return;
            }
            ready.result().send(in).onComplete(answered -> {
                if (answered.failed()) {
                    permit.failed(timedOut(answered.cause()));
                    cellFailed(context, route, circuit, start, answered.cause());
                    return;
                }
                circuit.failures.set(0);
                relay(context, answered.result(), route, start, permit);
            });
        });
    }

    /** The request to the tenant's cell: method, normalised path, query and end-to-end headers, plus the forwarding ones. */
    private RequestOptions upstreamOptions(RoutingContext context, TenantRoute route, String host, String authority) {
        HttpServerRequest in = context.request();
        URI cell = URI.create(route.cellBaseUrl());
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(cell.getHost())
                .setPort(cell.getPort() > 0 ? cell.getPort() : 80)
                .setURI(originForm(context))
                .setIdleTimeout(10_000);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Set<String> named = connectionHeaders(in.headers());
        in.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !name.equals(SignedTenantHeader.NAME.toLowerCase(Locale.ROOT))) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        String clientAddress = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        String previousFor = in.getHeader("X-Forwarded-For");
        headers.set("Host", authority);
        headers.set("X-Forwarded-For", previousFor == null ? clientAddress : previousFor + ", " + clientAddress);
        headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        headers.set("X-Forwarded-Host", host);
        headers.set("Forwarded", "for=\"" + clientAddress + "\";host=\"" + host + "\";proto=" + (in.scheme() == null ? "http" : in.scheme()));
        config.tenantHeaderSecret().filter(s -> !s.isBlank()).ifPresent(secret ->
                headers.set(SignedTenantHeader.NAME, SignedTenantHeader.sign(secret, route.tenantId(), clock.instant())));
        if (in.headers().contains("Content-Length")) {
            headers.set("Content-Length", in.getHeader("Content-Length"));
        }
        options.setHeaders(headers);
        return options;
    }

    /** The tenant's cell as the edge cache sees it: fetched in full, or passed through as is. */
    private final class CellUpstream implements EdgeCache.Upstream {
        private final RoutingContext context;
        private final TenantRoute route;
        private final CellCircuit circuit;
        private final RequestOptions options;
        private final long start;

        CellUpstream(RoutingContext context, TenantRoute route, CellCircuit circuit, RequestOptions options, long start) {
            this.context = context;
            this.route = route;
            this.circuit = circuit;
            this.options = options;
            this.start = start;
        }

        @Override
        public Future<EdgeCache.Fetched> fetch(String ifNoneMatch) {
            if (System.currentTimeMillis() < circuit.openUntil) {
                return Future.failedFuture(new CircuitOpen());
            }
            return admission.admitOrWait(route.cellId(), route.tenantId())
                    .recover(shed -> Future.failedFuture(new Shed()))
                    .compose(permit -> fetchWith(permit, ifNoneMatch));
        }

        private Future<EdgeCache.Fetched> fetchWith(Permit permit, String ifNoneMatch) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(options.getHeaders());
            for (String conditional : CONDITIONAL) {
                headers.remove(conditional);
            }
            headers.remove("Content-Length");
            // the signature is made again: a background refresh may run long after the request
            config.tenantHeaderSecret().filter(s -> !s.isBlank()).ifPresent(secret ->
                    headers.set(SignedTenantHeader.NAME, SignedTenantHeader.sign(secret, route.tenantId(), clock.instant())));
            if (ifNoneMatch != null) {
                headers.set("If-None-Match", ifNoneMatch);
            }
            RequestOptions request = new RequestOptions(options).setMethod(HttpMethod.GET).setHeaders(headers);
            return client.request(request)
                    .compose(r -> r.send())
                    .compose(answer -> answer.body().map(body -> new EdgeCache.Fetched(answer.statusCode(), answer.headers(), body)))
                    .onSuccess(ok -> {
                        circuit.failures.set(0);
                        permit.answered(ok.status());
                    })
                    .onFailure(failure -> {
                        circuitFailure(circuit);
                        permit.failed(timedOut(failure));
                    });
        }

        @Override
        public void pass() {
            send(context, route, circuit, options, start);
        }

        @Override
        public void failed(Throwable cause) {
            if (cause instanceof Shed) {
                shed(context, route, start);
                return;
            }
            if (cause instanceof CircuitOpen) {
                circuitOpen(context);
            } else {
                cellFailedAnswer(context, cause);
            }
            count(route, "5xx", start);
        }

        @Override
        public void answered(int status) {
            count(route, bucket(status), start);
        }
    }

    /** The cell's circuit is open: no request was sent. */
    static final class CircuitOpen extends RuntimeException {
        CircuitOpen() {
            super("circuit open", null, false, false);
        }
    }

    /** The cell's admission refused the request: no request was sent. */
    static final class Shed extends RuntimeException {
        Shed() {
            super("shed", null, false, false);
        }
    }

    /** The normalised path (no dot-segments) and the query, in origin form. */
    static String originForm(RoutingContext context) {
        String query = context.request().query();
        return context.normalizedPath() + (query == null ? "" : "?" + query);
    }

    private void relay(RoutingContext context, HttpClientResponse upstream, TenantRoute route, long start, Permit permit) {
        HttpServerResponse out = context.response();
        out.setStatusCode(upstream.statusCode());
        Set<String> named = connectionHeaders(upstream.headers());
        upstream.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("x-cache")) {
                out.headers().add("X-Cache-Cell", h.getValue());
            } else if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !name.equals("surrogate-key")) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        out.putHeader("X-Cache", "BYPASS");
        if (upstream.headers().contains("Content-Length")) {
            out.putHeader("Content-Length", upstream.getHeader("Content-Length"));
        } else {
            out.setChunked(true);
        }
        upstream.pipeTo(out).onComplete(done -> {
            permit.answered(upstream.statusCode());
            count(route, bucket(upstream.statusCode()), start);
        });
    }

    private void cellFailed(RoutingContext context, TenantRoute route, CellCircuit circuit, long start, Throwable cause) {
        circuitFailure(circuit);
        cellFailedAnswer(context, cause);
        count(route, "5xx", start);
    }

    private static void circuitFailure(CellCircuit circuit) {
        if (circuit.failures.incrementAndGet() >= FAILURES_TO_OPEN) {
            circuit.openUntil = System.currentTimeMillis() + OPEN_MILLIS;
            circuit.failures.set(0);
        }
    }

    private static void cellFailedAnswer(RoutingContext context, Throwable cause) {
        if (!context.response().headWritten()) {
            boolean timeout = timedOut(cause);
            problem(context, timeout ? 504 : 502, timeout ? "Gateway timeout" : "Bad gateway",
                    "The shop's cell did not answer.");
        } else {
            context.response().reset();
        }
    }

    private static boolean timedOut(Throwable cause) {
        return cause instanceof java.util.concurrent.TimeoutException
                || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("timeout");
    }

    /** The cell is at its limit and this shop over its share of it: 503 at once, without asking the cell. */
    private void shed(RoutingContext context, TenantRoute route, long start) {
        int retryAfter = admission.retryAfterSeconds();
        context.response().putHeader("Retry-After", Integer.toString(retryAfter));
        problem(context, 503, "Shop busy", "The shop's cell is at its limit and this shop has more than its share of it "
                + "in flight; retry after " + retryAfter + " s.");
        count(route, "shed", start);
    }

    private static void circuitOpen(RoutingContext context) {
        context.response().putHeader("Retry-After", "2");
        problem(context, 503, "Shop temporarily unavailable", "The shop's cell is not answering; retry shortly.");
    }

    private void topTenants(RoutingContext context) {
        JsonArray rates = new JsonArray();
        top.top(20).forEach(r -> rates.add(new JsonObject().put("tenantId", r.tenantId().toString()).put("handle", r.handle())
                .put("cellId", r.cellId()).put("requestsPerSecond", Math.round(r.requestsPerSecond() * 100) / 100.0)));
        context.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("top", rates).encode());
    }

    private void count(TenantRoute route, String outcome, long start) {
        metrics.counter("gateway.requests", "cell", route.cellId(), "outcome", outcome).increment();
        Timer.builder("gateway.request.latency").tag("cell", route.cellId()).publishPercentileHistogram()
                .register(metrics).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private static String bucket(int status) {
        return status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
    }

    private static Set<String> connectionHeaders(MultiMap headers) {
        String connection = headers.get("Connection");
        if (connection == null) {
            return Set.of();
        }
        return Set.of(connection.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
    }

    private static void problem(RoutingContext context, int status, String title, String detail) {
        HttpServerResponse response = context.response();
        if (response.ended()) {
            return;
        }
        JsonObject problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", context.request().path());
        context.request().resume();
        response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.encode());
    }
}
