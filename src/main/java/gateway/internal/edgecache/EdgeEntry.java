package gateway.internal.edgecache;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One cached answer: status, the headers to send again (hop-by-hop headers, {@code Set-Cookie} and
 * {@code Surrogate-Key} left out, the cell's {@code X-Cache} renamed {@code X-Cache-Cell}), the body,
 * its tag and surrogate keys, and its lifetimes in seconds from {@code storedAtMillis} (gateway clock),
 * counting the age it already had when it arrived.
 */
final class EdgeEntry {

    final EdgeKey key;
    final int status;
    final List<Map.Entry<String, String>> headers;
    final byte[] body;
    final String etag;
    final Set<String> surrogateKeys;
    final long storedAtMillis;
    final long initialAgeSeconds;
    final long sMaxAge;
    final long staleWhileRevalidate;
    final long staleIfError;
    final int weight;

    EdgeEntry(EdgeKey key, int status, List<Map.Entry<String, String>> headers, byte[] body, String etag,
              Set<String> surrogateKeys, long storedAtMillis, long initialAgeSeconds, CacheControl control) {
        this.key = key;
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.etag = etag;
        this.surrogateKeys = Set.copyOf(surrogateKeys);
        this.storedAtMillis = storedAtMillis;
        this.initialAgeSeconds = Math.max(0, initialAgeSeconds);
        boolean notFound = status == 404;
        // a 404 is kept for at most its s-maxage, capped, and never served stale
        this.sMaxAge = notFound ? Math.min(control.sMaxAge(), EdgeCache.NOT_FOUND_MAX_SECONDS) : control.sMaxAge();
        this.staleWhileRevalidate = notFound ? 0 : Math.max(0, control.staleWhileRevalidate());
        this.staleIfError = notFound ? 0 : Math.max(0, control.staleIfError());
        int headerBytes = 0;
        for (Map.Entry<String, String> h : this.headers) {
            headerBytes += 48 + 2 * (h.getKey().length() + h.getValue().length());
        }
        for (String k : this.surrogateKeys) {
            headerBytes += 48 + 2 * k.length();
        }
        this.weight = 160 + key.weight() + headerBytes + body.length + (etag == null ? 0 : 2 * etag.length());
    }

    /** The same answer confirmed by the cell (304) at {@code nowMillis}, with its new lifetimes. */
    EdgeEntry revalidated(long nowMillis, CacheControl control, long initialAge) {
        return new EdgeEntry(key, status, headers, body, etag, surrogateKeys, nowMillis, initialAge, control);
    }

    /** Its age in whole seconds at {@code nowMillis} (RFC 9111 §4.2.3, with the age it arrived with). */
    long ageSeconds(long nowMillis) {
        return initialAgeSeconds + Math.max(0, (nowMillis - storedAtMillis) / 1_000);
    }

    boolean fresh(long nowMillis) {
        return ageMillis(nowMillis) < sMaxAge * 1_000;
    }

    /** Stale, but still within its stale-while-revalidate window. */
    boolean servableWhileRevalidating(long nowMillis) {
        return ageMillis(nowMillis) < (sMaxAge + staleWhileRevalidate) * 1_000;
    }

    /** Within its stale-if-error window (the cell failing). */
    boolean servableOnError(long nowMillis) {
        return ageMillis(nowMillis) < (sMaxAge + staleIfError) * 1_000;
    }

    /** How long the entry is worth keeping at all, from when it was stored. */
    long retainMillis() {
        return Math.max(1_000, (sMaxAge + Math.max(staleWhileRevalidate, staleIfError) - initialAgeSeconds) * 1_000);
    }

    private long ageMillis(long nowMillis) {
        return initialAgeSeconds * 1_000 + Math.max(0, nowMillis - storedAtMillis);
    }
}
