package platform.internal.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.Problem;
import platform.ProblemException;

/**
 * Maps every failure of a REST call to an RFC 9457 problem response: framework errors keep their
 * status, invalid input names the offending field, and an unexpected error is logged and answered
 * with a 500 problem that carries no internals.
 */
class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @jakarta.inject.Inject platform.internal.db.DatabaseBreaker breaker;
    @jakarta.inject.Inject platform.bulkhead.TenantBulkhead bulkhead;

    @ServerExceptionMapper
    Response webApplication(WebApplicationException e, UriInfo uri, ResourceInfo resource) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        if ((e instanceof NotFoundException || e instanceof BadRequestException) && e.getCause() != null
                && !(e.getCause() instanceof WebApplicationException)) {
            // a path, query or header parameter that could not be converted to its type
            String field = ParameterErrors.offendingParameter(resource, uri).orElse("");
            return problem(Problem.invalid("A parameter has a value of the wrong type.", field.isEmpty() ? List.of()
                    : List.of(new Problem.FieldError(field, "has a value of the wrong type"))), uri);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        String detail = status == 404 ? "Nothing is served at this path." : e.getMessage();
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, title, detail).withInstance(uri.getPath()));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper
    Response problem(ProblemException e, UriInfo uri) {
        Response response = problem(e.problem(), uri);
        return e.retryAfter().map(delay -> Response.fromResponse(response)
                .header("Retry-After", ProblemException.retryAfterSeconds(delay)).build()).orElse(response);
    }

    @ServerExceptionMapper
    Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(violation.getPropertyPath().toString()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return problem(Problem.invalid("The request has invalid fields.", errors), uri);
    }

    @ServerExceptionMapper
    Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? pathOf(mapping.getPath()) : "";
        String reason;
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !field.isEmpty()) {
            reason = "must be " + describe(mismatch.getTargetType());
        } else {
            reason = e.getOriginalMessage() == null ? "unreadable JSON" : e.getOriginalMessage();
            reason = reason.replaceAll("\\s+", " ").replaceAll("`[^`]*\\.([A-Za-z0-9_$]+)`", "$1");
            if (reason.length() > 200) {
                reason = reason.substring(0, 200) + "...";
            }
        }
        List<Problem.FieldError> errors = field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, reason));
        return problem(Problem.invalid(field.isEmpty() ? "Malformed JSON: " + reason
                : "Field '" + field + "' has a wrong value or type.", errors), uri);
    }

    @ServerExceptionMapper
    Response uniqueConflict(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        if ("23505".equals(e.getSQLState())) {
            return problem(Problem.of(409, "Conflict", "The request conflicts with existing data."), uri);
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    Response unexpected(Throwable e, UriInfo uri) {
        Optional<String> unavailable = DatabaseUnavailable.reason(e);
        if (unavailable.isPresent()) {
            LOG.warnf("Answering %s with 503: %s", uri.getPath(), unavailable.get());
            if (DatabaseUnavailable.unreachable(e)) {
                breaker.databaseUnreachable(unavailable.get());
            }
            // a statement or lock wait cut by the request's class's timeout says so; anything else is "unavailable"
            return bulkhead.refusal(e).map(refusal -> problem(refusal, uri)).orElseGet(() -> unavailable(uri.getPath()));
        }
        Optional<SQLException> dataError = inputDataError(e);
        if (dataError.isPresent()) {
            // a value of the request that PostgreSQL refuses (NUL in text, out of range, bad format): the caller's fault
            LOG.debugf("Refused a request value at %s: SQLState %s", uri.getPath(), dataError.get().getSQLState());
            return problem(Problem.invalid("The request has a value that cannot be stored or compared"
                    + " (for example a NUL character, or a number out of range).", List.of()), uri);
        }
        LOG.errorf(e, "Unexpected error answering %s", uri.getPath());
        return problem(Problem.of(500, "Internal error", "The request could not be completed; it was logged."), uri);
    }

    /**
     * The SQL error behind a failure if it is a PostgreSQL data exception (SQLState class 22: invalid
     * text, NUL byte, value out of range), which only a value from the request can cause here.
     */
    static Optional<SQLException> inputDataError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (next.getSQLState() != null && next.getSQLState().startsWith("22")) {
                        return Optional.of(next);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** 503 with Retry-After: the node's database cannot serve the request now. */
    static Response unavailable(String path) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS)
                .entity(Problem.of(503, "Service unavailable", "The shop's database did not answer in time; try again shortly.")
                        .withInstance(path)).build();
    }

    static Response problem(Problem problem, UriInfo uri) {
        Problem withInstance = problem.instance() == null ? problem.withInstance(uri.getPath()) : problem;
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(withInstance).build();
    }

    /** "create.arg0.lines[0].quantity" (a method parameter path) becomes "lines[0].quantity". */
    static String fieldOf(String propertyPath) {
        String[] parts = propertyPath.split("\\.");
        if (parts.length >= 3) {
            return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
        }
        return parts[parts.length - 1];
    }

    /** A JSON-level name for the Java type a field expected. */
    static String describe(Class<?> type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class
                || type == short.class || type == Short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || type == java.util.UUID.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
