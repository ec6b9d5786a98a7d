package platform;

/** Ends a request with the given RFC 9457 problem (its status included); thrown by any module. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
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
