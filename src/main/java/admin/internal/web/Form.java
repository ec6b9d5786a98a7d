package admin.internal.web;

import java.util.LinkedHashMap;
import java.util.Map;
import platform.Problem;
import platform.ProblemException;

/**
 * What the merchant typed into a form, and the messages for the fields that were refused; a page
 * re-rendered from it keeps every value and shows each message next to its field.
 */
public class Form {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private String message;

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public Form set(String field, String value) {
        values.put(field, value == null ? "" : value);
        return this;
    }

    /** The message for a field, or the empty string. */
    public String error(String field) {
        return errors.getOrDefault(field, "");
    }

    public boolean invalid(String field) {
        return errors.containsKey(field);
    }

    /** A message about the form as a whole (shown above it), or the empty string. */
    public String message() {
        return message == null ? "" : message;
    }

    public boolean hasErrors() {
        return !errors.isEmpty() || message != null;
    }

    public Map<String, String> errors() {
        return errors;
    }

    public Form reject(String field, String message) {
        errors.putIfAbsent(field, message);
        return this;
    }

    public Form fail(String message) {
        this.message = message;
        return this;
    }

    /** Shows a refusal of the service: its field errors by their fields (renamed), else its detail above the form. */
    Form reject(ProblemException refused, java.util.function.UnaryOperator<String> fieldName) {
        Problem problem = refused.problem();
        if (problem.errors() != null && !problem.errors().isEmpty()) {
            for (Problem.FieldError error : problem.errors()) {
                String field = fieldName.apply(error.field());
                String text = error.message();
                // service messages read "must be ..." after the field's name; conflicts are whole sentences
                reject(field, problem.status() == 400 ? sentence(text) : text);
            }
        }
        if (problem.errors() == null || problem.errors().isEmpty() || problem.status() != 400) {
            fail(problem.detail());
        }
        return this;
    }

    static String sentence(String text) {
        if (text == null || text.isEmpty()) {
            return "This value is not valid.";
        }
        String s = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }
}
