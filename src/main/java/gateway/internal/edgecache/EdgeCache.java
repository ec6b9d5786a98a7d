package gateway.internal.edgecache;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;
import platform.EntityTags;
import platform.NodeRole;
import platform.StorefrontConfig;
import platform.SurrogateKeys;

/**
 * The gateway's shared cache of shoppers' reads (the "edge"): answers a cell marks {@code public}
 * with an {@code s-maxage} are kept per tenant and served again without a trip to the cell, within
 * byte budgets for the gateway and for each shop ({@link EdgeStore}). One upstream fetch per key at a
 * time (followers wait for the leader's answer, at most {@link #FOLLOWER_WAIT_MILLIS}); stale answers
 * are served while one background refresh runs ({@code stale-while-revalidate}) or while the cell
 * fails ({@code stale-if-error}); stale entries are revalidated with the cell's {@code ETag}; a
 * shopper's {@code If-None-Match} is answered 304 from the cached tag. Catalogue events purge the
 * entries labelled with the keys they make stale ({@link #purge}).
 *
 * <p>Answers carry {@code X-Cache} ({@code HIT}, {@code MISS}, {@code STALE}, {@code REVALIDATED};
 * {@code BYPASS} on what is forwarded without the cache) and {@code Age}; the cell's own
 * {@code X-Cache} is renamed {@code X-Cache-Cell}; {@code Surrogate-Key} is not passed on.
 */
@Singleton
public class EdgeCache {

    private static final Logger LOG = Logger.getLogger(EdgeCache.class);

    /** Longest a 404 is kept, whatever its {@code s-maxage}. */
    static final long NOT_FOUND_MAX_SECONDS = 10;
    /** Longest a request waits for the leader's fetch of the same key before going upstream itself. */
    static final long FOLLOWER_WAIT_MILLIS = 5_000;
    /** Longest request header values (all varied-on headers together) kept in a key. */
    static final int MAX_VARY_CHARS = 1_024;
    static final String PREFIX = "/api/storefront/";
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection", "host", "content-length",
            SurrogateKeys.HEADER.toLowerCase(Locale.ROOT));
    static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection", "host", "content-length", "set-cookie",
            "age", "x-cache", "date", SurrogateKeys.HEADER.toLowerCase(Locale.ROOT));

    /** What a cell answered, in full. */
    public record Fetched(int status, MultiMap headers, Buffer body) {}

    /** The way to the tenant's cell for one request, given by the router. */
    public interface Upstream {
        /**
         * Sends the request to the cell without the shopper's conditional headers, with
         * {@code If-None-Match} when given, and reads the whole answer; fails when the cell cannot be
         * reached, times out or its circuit is open.
         */
        Future<Fetched> fetch(String ifNoneMatch);

        /** Forwards the request as it is, its answer streamed back and not cached. */
        void pass();

        /** Answers the gateway's own error for a cell that failed ({@link #fetch}'s failure). */
        void failed(Throwable cause);

        /** Told the status of every answer written by the cache. */
        void answered(int status);
    }

    private record Outcome(EdgeEntry entry, String label, boolean shareable, Fetched fetched, Throwable failure) {}

    @Inject StorefrontConfig config;
    @Inject MeterRegistry metrics;
    @Inject Vertx vertx;
    @Inject Clock clock;

    @Inject EdgeCacheConfig bounds;

    EdgeStore store;
    private final Map<EdgeKey, Future<Outcome>> inflight = new ConcurrentHashMap<>();
    /** Per primary key, the request headers its answers vary on. */
    private final Cache<EdgeKey, List<String>> varyRules = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        store = new EdgeStore(bounds.maxBytes(), bounds.tenantMaxBytes(), Ticker.systemTicker(), ForkJoinPool.commonPool(),
                cause -> counter("gateway.edge.evictions", "cause", cause).increment());
    }

    /** Metrics and the operator's view, on gateways only. */
    void installView(@Observes ManagementInterface management) {
        if (config.role() != NodeRole.GATEWAY) {
            return;
        }
        Gauge.builder("gateway.edge.bytes", this, c -> c.store.bytes()).baseUnit("bytes").register(metrics);
        Gauge.builder("gateway.edge.entries", this, c -> c.store.entries()).register(metrics);
        management.router().get("/q/gateway/edge-cache").handler(this::view);
    }

    /**
     * Whether the request may be answered from the cache: GET or HEAD under {@code /api/storefront/},
     * without credentials ({@code Authorization}, any {@code Cookie}) and without a body.
     */
    public boolean candidate(RoutingContext context) {
        HttpServerRequest request = context.request();
        HttpMethod method = request.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        String path = context.normalizedPath();
        if (path == null || !path.startsWith(PREFIX)) {
            return false;
        }
        MultiMap headers = request.headers();
        if (headers.contains("Authorization") || headers.contains("Cookie") || headers.contains("Transfer-Encoding")) {
            return false;
        }
        String length = headers.get("Content-Length");
        return length == null || length.equals("0");
    }

    /** Answers a {@link #candidate} request from the cache, or through it from the cell. */
    public void serve(RoutingContext context, UUID tenantId, Upstream upstream) {
        HttpServerRequest request = context.request();
        Optional<EdgeKey> primary = EdgeKey.primary(tenantId, context.normalizedPath(), request.query());
        if (primary.isEmpty()) {
            bypass(upstream);
            return;
        }
        MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        Function<String, String> headerOf = requestHeaders::get;
        EdgeKey key = keyOf(primary.get(), headerOf);
        if (key == null) {
            bypass(upstream);
            return;
        }
        boolean head = request.method() == HttpMethod.HEAD;
        long now = clock.millis();
        EdgeEntry entry = store.get(key);
        if (entry != null && entry.fresh(now)) {
            write(context, entry, "HIT", now, upstream);
            return;
        }
        if (entry != null && entry.servableWhileRevalidating(now)) {
            write(context, entry, "STALE", now, upstream);
            refresh(key, entry, upstream, headerOf);
            return;
        }
        if (head) {
            bypass(upstream); // a HEAD answer has no body to keep for GETs
            return;
        }
        Future<Outcome> running = inflight.get(key);
        if (running != null) {
            follow(context, primary.get(), entry, running, upstream);
            return;
        }
        Promise<Outcome> leader = Promise.promise();
        running = inflight.putIfAbsent(key, leader.future());
        if (running != null) {
            follow(context, primary.get(), entry, running, upstream);
            return;
        }
        fetch(key, entry, upstream, headerOf, leader, entry == null ? "miss" : "revalidate");
        leader.future().onComplete(done -> {
            Outcome outcome = done.result();
            long at = clock.millis();
            if (outcome.entry() != null) {
                write(context, outcome.entry(), outcome.label(), at, upstream);
            } else if (outcome.fetched() != null) {
                writeFetched(context, outcome.fetched(), upstream);
            } else {
                counter("gateway.edge.requests", "result", "miss").increment();
                upstream.failed(outcome.failure());
            }
        });
    }

    private EdgeKey keyOf(EdgeKey primary, Function<String, String> headerOf) {
        List<String> vary = varyRules.getIfPresent(primary);
        EdgeKey key = primary.varying(vary == null ? List.of() : vary, headerOf);
        return key.vary().length() > MAX_VARY_CHARS ? null : key;
    }

    private void bypass(Upstream upstream) {
        counter("gateway.edge.requests", "result", "bypass").increment();
        upstream.pass();
    }

    /** One background refresh of a stale entry at a time (none while a fetch of its key runs). */
    private void refresh(EdgeKey key, EdgeEntry stale, Upstream upstream, Function<String, String> headerOf) {
        if (inflight.containsKey(key)) {
            return;
        }
        Promise<Outcome> leader = Promise.promise();
        if (inflight.putIfAbsent(key, leader.future()) == null) {
            fetch(key, stale, upstream, headerOf, leader, "refresh");
        }
    }

    /** The leader's fetch: stores what may be kept and completes the promise its followers wait on. */
    private void fetch(EdgeKey key, EdgeEntry stale, Upstream upstream, Function<String, String> headerOf,
                       Promise<Outcome> leader, String reason) {
        counter("gateway.edge.upstream.fetches", "reason", reason).increment();
        Future<Fetched> answer;
        try {
            answer = upstream.fetch(stale == null ? null : stale.etag);
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onComplete(done -> {
            Outcome outcome;
            try {
                outcome = settle(key, stale, done.succeeded() ? done.result() : null, done.cause(), headerOf);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Edge cache: could not settle the answer for %s", key.path());
                outcome = new Outcome(null, "MISS", false, done.succeeded() ? done.result() : null, e);
            }
            inflight.remove(key, leader.future());
            leader.complete(outcome);
        });
    }

    private Outcome settle(EdgeKey key, EdgeEntry stale, Fetched fetched, Throwable failure, Function<String, String> headerOf) {
        long now = clock.millis();
        boolean staleUsable = stale != null && stale.servableOnError(now);
        if (fetched == null || fetched.status() >= 500) {
            if (staleUsable) {
                counter("gateway.edge.stale.on.error", "cause", fetched == null ? "failure" : "5xx").increment();
                return new Outcome(stale, "STALE", true, null, null);
            }
            return new Outcome(null, "MISS", false, fetched, failure);
        }
        CacheControl control = CacheControl.parse(String.join(",", fetched.headers().getAll("Cache-Control")));
        if (fetched.status() == 304 && stale != null) {
            if (!control.storable()) {
                return new Outcome(stale, "REVALIDATED", false, null, null); // served once, not kept longer
            }
            EdgeEntry refreshed = stale.revalidated(now, control, age(fetched.headers()));
            return new Outcome(refreshed, "REVALIDATED", store.put(refreshed), null, null);
        }
        EdgeEntry entry = storable(key, fetched, control, now, headerOf);
        if (entry != null && store.put(entry)) {
            return new Outcome(entry, "MISS", true, null, null);
        }
        return new Outcome(null, "MISS", false, fetched, null);
    }

    /** The entry of an answer, or null when it must not be kept. */
    private EdgeEntry storable(EdgeKey key, Fetched fetched, CacheControl control, long now, Function<String, String> headerOf) {
        int status = fetched.status();
        if ((status != 200 && status != 404) || !control.storable() || fetched.headers().contains("Set-Cookie")
                || fetched.body().length() > bounds.maxBodyBytes()) {
            return null;
        }
        Optional<List<String>> vary = EdgeKey.varyNames(fetched.headers().getAll("Vary"));
        if (vary.isEmpty()) {
            return null;
        }
        EdgeKey primary = key.primary();
        EdgeKey stored = primary.varying(vary.get(), headerOf);
        if (stored.vary().length() > MAX_VARY_CHARS) {
            return null;
        }
        if (vary.get().isEmpty()) {
            varyRules.invalidate(primary);
        } else {
            varyRules.put(primary, vary.get());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Set<String> connection = connectionNamed(fetched.headers());
        fetched.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_STORED.contains(name) && !connection.contains(name)) {
                headers.add(Map.entry(h.getKey(), h.getValue()));
            } else if (name.equals("x-cache")) {
                headers.add(Map.entry("X-Cache-Cell", h.getValue()));
            }
        });
        byte[] body = fetched.body().getBytes();
        String etag = fetched.headers().get("ETag");
        Set<String> keys = SurrogateKeys.parse(fetched.headers().get(SurrogateKeys.HEADER));
        return new EdgeEntry(stored, status, headers, body, etag, keys, now, age(fetched.headers()), control);
    }

    private void follow(RoutingContext context, EdgeKey primary, EdgeEntry stale, Future<Outcome> running, Upstream upstream) {
        counter("gateway.edge.coalesced", null, null).increment();
        AtomicBoolean settled = new AtomicBoolean();
        long timer = vertx.setTimer(FOLLOWER_WAIT_MILLIS, t -> {
            if (settled.compareAndSet(false, true)) {
                bypass(upstream);
            }
        });
        running.onComplete(done -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(timer);
            Outcome outcome = done.result();
            long now = clock.millis();
            if (outcome.shareable() && outcome.entry() != null) {
                EdgeKey own = keyOf(primary, context.request().headers()::get);
                EdgeEntry entry = own == null ? null : own.equals(outcome.entry().key) ? outcome.entry() : store.get(own);
                if (entry != null && (entry.fresh(now) || ("STALE".equals(outcome.label()) && entry.servableOnError(now)))) {
                    write(context, entry, "STALE".equals(outcome.label()) ? "STALE" : "HIT", now, upstream);
                    return;
                }
            } else if (outcome.fetched() == null || outcome.fetched().status() >= 500) {
                if (stale != null && stale.servableOnError(now)) {
                    write(context, stale, "STALE", now, upstream);
                    return;
                }
            }
            bypass(upstream); // the leader's answer was not for sharing, or it failed: go upstream alone
        });
    }

    /** Writes a cached answer (304 when the shopper's {@code If-None-Match} names its tag). */
    private void write(RoutingContext context, EdgeEntry entry, String label, long now, Upstream upstream) {
        HttpServerResponse out = context.response();
        if (out.ended() || out.headWritten()) {
            return;
        }
        counter("gateway.edge.requests", "result", label.toLowerCase(Locale.ROOT)).increment();
        context.request().resume();
        boolean notModified = entry.status == 200 && entry.etag != null
                && EntityTags.noneMatchHits(context.request().getHeader("If-None-Match"), entry.etag);
        int status = notModified ? 304 : entry.status;
        out.setStatusCode(status);
        for (Map.Entry<String, String> h : entry.headers) {
            if (!notModified || !h.getKey().equalsIgnoreCase("Content-Type")) {
                out.headers().add(h.getKey(), h.getValue());
            }
        }
        out.putHeader("Age", Long.toString(entry.ageSeconds(now)));
        out.putHeader("X-Cache", label);
        if (notModified) {
            out.end();
        } else if (context.request().method() == HttpMethod.HEAD) {
            out.putHeader("Content-Length", Integer.toString(entry.body.length));
            out.end();
        } else {
            out.end(Buffer.buffer(entry.body));
        }
        upstream.answered(status);
    }

    /** Writes an answer of the cell that was not kept, as the cell sent it. */
    private void writeFetched(RoutingContext context, Fetched fetched, Upstream upstream) {
        HttpServerResponse out = context.response();
        if (out.ended() || out.headWritten()) {
            return;
        }
        counter("gateway.edge.requests", "result", "miss").increment();
        context.request().resume();
        out.setStatusCode(fetched.status());
        Set<String> connection = connectionNamed(fetched.headers());
        fetched.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("x-cache")) {
                out.headers().add("X-Cache-Cell", h.getValue());
            } else if (!HOP_BY_HOP.contains(name) && !connection.contains(name)) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        out.putHeader("X-Cache", "MISS");
        out.end(fetched.body());
        upstream.answered(fetched.status());
    }

    /**
     * Purges what a catalogue event makes stale in the tenant's entries ({@link SurrogateKeys#forEvent}),
     * and records the lag from the event to the purge.
     */
    public void purge(UUID tenantId, String type, JsonNode data, Instant occurredAt) {
        SurrogateKeys.Purge purge = SurrogateKeys.forEvent(type, data);
        int dropped;
        String scope;
        switch (purge) {
            case SurrogateKeys.Purge.Nothing nothing -> {
                return;
            }
            case SurrogateKeys.Purge.Keys keys -> {
                dropped = store.purge(tenantId, keys.keys());
                scope = "keys";
            }
            case SurrogateKeys.Purge.Everything everything -> {
                dropped = store.purgeTenant(tenantId);
                scope = "tenant";
            }
        }
        counter("gateway.edge.purges", "scope", scope).increment();
        if (occurredAt != null) {
            Timer.builder("gateway.edge.purge.lag").description("From a catalogue event to the purge of its entries")
                    .publishPercentileHistogram().register(metrics)
                    .record(Math.max(0, clock.millis() - occurredAt.toEpochMilli()), TimeUnit.MILLISECONDS);
        }
        LOG.debugf("Edge cache: %s of tenant %s purged %d entries (%s)", type, tenantId, dropped, scope);
    }

    /** Drops every entry of a tenant that is no longer routed here (suspended, removed or being purged). */
    public void forget(UUID tenantId) {
        int dropped = store.purgeTenant(tenantId);
        if (dropped > 0) {
            counter("gateway.edge.purges", "scope", "tenant").increment();
            LOG.debugf("Edge cache: tenant %s no longer routed, %d entries dropped", tenantId, dropped);
        }
    }

    private void view(RoutingContext context) {
        store.cleanUp();
        JsonArray top = new JsonArray();
        store.top(20).forEach(u -> top.add(new JsonObject().put("tenantId", u.tenantId().toString())
                .put("bytes", u.bytes()).put("entries", u.entries())));
        JsonObject body = new JsonObject().put("maxBytes", store.maxBytes()).put("tenantMaxBytes", store.tenantMaxBytes())
                .put("bytes", store.bytes()).put("entries", store.entries()).put("top", top);
        String tenant = context.request().getParam("tenant");
        if (tenant != null) {
            try {
                EdgeStore.TenantUsage usage = store.usage(UUID.fromString(tenant));
                body.put("tenant", new JsonObject().put("tenantId", tenant).put("bytes", usage.bytes()).put("entries", usage.entries()));
            } catch (IllegalArgumentException e) {
                context.response().setStatusCode(400).end();
                return;
            }
        }
        context.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    private Counter counter(String name, String tag, String value) {
        String id = tag == null ? name : name + "|" + tag + "=" + value;
        return counters.computeIfAbsent(id, x -> tag == null ? metrics.counter(name) : metrics.counter(name, tag, value));
    }

    private static long age(MultiMap headers) {
        String age = headers.get("Age");
        if (age == null || age.length() > 9 || !age.chars().allMatch(Character::isDigit) || age.isEmpty()) {
            return 0;
        }
        return Long.parseLong(age);
    }

    private static Set<String> connectionNamed(MultiMap headers) {
        String connection = headers.get("Connection");
        if (connection == null) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String n : connection.toLowerCase(Locale.ROOT).split(",")) {
            names.add(n.strip());
        }
        return names;
    }
}
