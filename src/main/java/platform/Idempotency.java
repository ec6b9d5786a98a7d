package platform;

import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Makes a POST safe to retry with an {@code Idempotency-Key} (IETF httpapi idempotency-key draft),
 * one mechanism for every API that takes the header. The key is bound to the request it first came
 * with: a SHA-256 digest of method, path, scope (the tenant on a cell, the operator on the control
 * node) and body is stored with it, in the node's own database.
 *
 * <ul>
 *   <li>the first request under a key runs; its answer (status, {@code Location}, body) is stored in
 *       the same transaction as the business change, so a committed change always has its answer;</li>
 *   <li>the same request again gets the stored answer (same status and body) with
 *       {@code Idempotent-Replayed: true};</li>
 *   <li>the same key with another request gets 422 and a problem, and changes nothing;</li>
 *   <li>while the first request is still in flight, the key gets 409 and a problem (after a short
 *       wait for it);</li>
 *   <li>a request that fails (any exception, a problem answer included) stores nothing: the key is
 *       free again for a retry.</li>
 * </ul>
 */
public interface Idempotency {

    /** The request header. */
    String HEADER = "Idempotency-Key";

    /** What a key may look like (for {@code @Pattern} on the header parameter). */
    String KEY_PATTERN = "[\\x21-\\x7E]{1,100}";

    /** The validation message of {@link #KEY_PATTERN}. */
    String KEY_MESSAGE = "must be 1-100 printable ASCII characters";

    /** The response header of a replayed answer. */
    String REPLAYED = "Idempotent-Replayed";

    /** Scope of the control node's operator API. */
    String OPERATOR_SCOPE = "operator";

    /**
     * A request as its key binds it.
     *
     * @param scope  who sends it: the tenant id on a cell, {@link #OPERATOR_SCOPE} on the control node
     * @param method HTTP method
     * @param path   request path
     * @param key    the {@code Idempotency-Key}; null: no key, the action just runs
     * @param body   the request body as parsed (digested as its JSON)
     */
    record Request(String scope, String method, String path, String key, Object body) {}

    /**
     * Runs {@code action} once per key and request, or answers from what the first run stored.
     * {@code action} must do its database work in the caller's transaction, which this method opens
     * (a {@code @Transactional} or tenant-transactional service joins it).
     */
    default Response execute(Request request, Supplier<Response> action) {
        return execute(request, action, UnaryOperator.identity());
    }

    /**
     * Like {@link #execute(Request, Supplier)}, but stores {@code stored.apply(entity)} as the answer,
     * for example without a secret that only the first answer may carry.
     */
    Response execute(Request request, Supplier<Response> action, UnaryOperator<Object> stored);
}
