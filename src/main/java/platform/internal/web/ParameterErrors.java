package platform.internal.web;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Finds which path or query parameter of a request could not be converted to its declared type. */
final class ParameterErrors {

    private ParameterErrors() {}

    static Optional<String> offendingParameter(ResourceInfo resource, UriInfo uri) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return Optional.empty();
        }
        for (Parameter parameter : method.getParameters()) {
            String name;
            List<String> values;
            if (parameter.isAnnotationPresent(QueryParam.class)) {
                name = parameter.getAnnotation(QueryParam.class).value();
                values = uri.getQueryParameters().get(name);
            } else if (parameter.isAnnotationPresent(PathParam.class)) {
                name = parameter.getAnnotation(PathParam.class).value();
                values = uri.getPathParameters().get(name);
            } else {
                continue;
            }
            if (values != null && values.stream().anyMatch(value -> !convertible(value, parameter.getType()))) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static boolean convertible(String value, Class<?> type) {
        try {
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(value);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value);
            } else if (type == UUID.class) {
                UUID.fromString(value);
            } else if (type == boolean.class || type == Boolean.class) {
                return value.equals("true") || value.equals("false");
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
