package platform;

/**
 * Ends a request with the given RFC 9457 problem (its status included), and a {@code Retry-After}
 * header when it has a retry delay; thrown by any module.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient java.time.Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    /** A problem answered with {@code Retry-After} (whole seconds, rounded up, at least 1). */
    public ProblemException(Problem problem, java.time.Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** The delay after which the client may try again, if the problem says one. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** The {@code Retry-After} header value of a delay: whole seconds, rounded up, at least 1. */
    public static String retryAfterSeconds(java.time.Duration delay) {
        long millis = Math.max(0, delay.toMillis());
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail));
    }

    /** A 409 naming the field whose value clashes with existing data (a handle or email in use). */
    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(new Problem(java.net.URI.create("about:blank"), "Conflict", 409, detail, null,
                java.util.List.of(new Problem.FieldError(field, detail))));
    }

    /** A 400 naming one offending field of the request. */
    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(Problem.invalid("The request has invalid fields.",
                java.util.List.of(new Problem.FieldError(field, message))));
    }

    /** A 400 for a paging cursor that this API did not issue. */
    public static ProblemException invalidCursor(String parameter) {
        return new ProblemException(Problem.invalid("Invalid cursor.",
                java.util.List.of(new Problem.FieldError(parameter, "is not a cursor returned by this API"))));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "Not Found", detail));
    }
}
