package catalog.internal.readcache;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import platform.redis.LuaScript;

/**
 * The storefront cache's Redis side: three Lua scripts, each one round trip (EVALSHA; EVAL once
 * when Redis answers NOSCRIPT, which loads the script again, for example after a restart).
 * Keys: {@code sf:{tenant}:catalog-version} (the tenant's catalogue version) and
 * {@code sf:{tenant}:v<version>:<entry>} (an entry at a version, expiring after {@link #TTL}); the hash
 * tag keeps a tenant's keys in one slot. A missing version starts from Redis' clock in microseconds,
 * so that a Redis that lost its data never hands out a version a node may still hold entries for.
 */
@ApplicationScoped
class RedisTier {

    static final Duration TTL = Duration.ofMinutes(10);
    /** The channel on which every change of a tenant's version is published as {@code "<tenant> <version>"}. */
    static final String CHANNEL = "sf:versions";

    /** The version (started if missing) and, unless the caller already holds it, the entry at that version. */
    static final LuaScript READ = new LuaScript("""
            local v = redis.call('GET', KEYS[1])
            if not v then
              local t = redis.call('TIME')
              v = t[1] .. string.format('%06d', tonumber(t[2]))
              redis.call('SET', KEYS[1], v)
            end
            if v == ARGV[3] then return {v} end
            local body = redis.call('GET', ARGV[1] .. v .. ':' .. ARGV[2])
            if body then return {v, body} end
            return {v}
            """);

    /** Stores an entry only if the version is still the one read before the database query. */
    static final LuaScript PUT = new LuaScript("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', ARGV[2], ARGV[3], 'EX', ARGV[4])
            return 1
            """);

    /** Increments the version (started if missing) and publishes it; returns it. */
    static final LuaScript INVALIDATE = new LuaScript("""
            local v = redis.call('GET', KEYS[1])
            if v then
              redis.call('INCR', KEYS[1])
            else
              local t = redis.call('TIME')
              redis.call('SET', KEYS[1], t[1] .. string.format('%06d', tonumber(t[2])))
            end
            v = redis.call('GET', KEYS[1])
            redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. v)
            return v
            """);

    /** What Redis has for a read: the tenant's version, and the entry at it (null if absent or already held). */
    record Found(long version, String body) {}

    @Inject ReactiveRedisDataSource redis;

    /** One round trip: the tenant's version and, unless it is {@code heldVersion}, the entry at it. */
    Found read(UUID tenant, String entry, long heldVersion, Duration timeout) {
        Response answer = eval(READ, versionKey(tenant), entryPrefix(tenant), entry,
                heldVersion < 0 ? "" : Long.toString(heldVersion)).await().atMost(timeout);
        long version = TenantVersions.parse(answer.get(0).toString());
        if (version < 0) {
            throw new IllegalStateException("catalogue version of " + tenant + " is not a number: " + answer.get(0));
        }
        return new Found(version, answer.size() > 1 ? answer.get(1).toString() : null);
    }

    /** Stores an entry at {@code version} if it is still the tenant's version (asynchronous; the Uni tells the outcome). */
    Uni<Response> put(UUID tenant, long version, String entry, String body) {
        return eval(PUT, versionKey(tenant), Long.toString(version), entryPrefix(tenant) + version + ":" + entry, body,
                Long.toString(TTL.toSeconds()));
    }

    /** Increments the tenant's version and publishes it on {@link #CHANNEL}; returns the new version. */
    long invalidate(UUID tenant, Duration timeout) {
        Response answer = eval(INVALIDATE, versionKey(tenant), CHANNEL, tenant.toString()).await().atMost(timeout);
        return TenantVersions.parse(answer.toString());
    }

    private Uni<Response> eval(LuaScript script, String key, String... args) {
        return script.run(redis, key, args);
    }

    static String versionKey(UUID tenant) {
        return "sf:{" + tenant + "}:catalog-version";
    }

    static String entryPrefix(UUID tenant) {
        return "sf:{" + tenant + "}:v";
    }
}
