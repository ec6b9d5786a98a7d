package bench.driver.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The requests that fuzz one documented operation: a valid-looking base request built from the
 * operation's OpenAPI description (known ids where the suite has them), then one mutation at a time
 * of each path, query and header parameter and of the body and each of its fields: malformed,
 * oversized, NUL and control characters, wrong type, missing.
 */
final class FuzzCases {

    private static final String MARK = "__fuzz_mark__";

    /** Raw (already escaped) values for path and query parameters. */
    static final Map<String, String> URL_VALUES = new LinkedHashMap<>();
    /** Raw values for header parameters. */
    static final Map<String, byte[]> HEADER_VALUES = new LinkedHashMap<>();
    /** Raw JSON for a body field (replacing its value). */
    static final Map<String, String> FIELD_VALUES = new LinkedHashMap<>();

    static {
        URL_VALUES.put("empty", "");
        URL_VALUES.put("NUL", "%00");
        URL_VALUES.put("NUL inside", "a%00b");
        URL_VALUES.put("control chars", "%01%02%1F%7F");
        URL_VALUES.put("CRLF", "%0D%0A");
        URL_VALUES.put("lone percent", "%");
        URL_VALUES.put("bad escape", "%ZZ");
        URL_VALUES.put("overlong UTF-8", "%C0%AF");
        URL_VALUES.put("surrogate UTF-8", "%ED%A0%80");
        URL_VALUES.put("invalid UTF-8", "%FF%FE");
        URL_VALUES.put("emoji", "%F0%9F%92%A9");
        URL_VALUES.put("dot segments", "..%2F..%2F");
        URL_VALUES.put("wrong type: word", "not-a-number");
        URL_VALUES.put("wrong type: negative", "-1");
        URL_VALUES.put("wrong type: huge number", "99999999999999999999999");
        URL_VALUES.put("wrong type: decimal", "1.5");
        URL_VALUES.put("wrong type: json", "%7B%22a%22%3A1%7D");
        URL_VALUES.put("quotes and brackets", "'%22%3C%3E%5C");
        URL_VALUES.put("oversized 3000", "a".repeat(3000));
        URL_VALUES.put("oversized 20000", "a".repeat(20000));
        HEADER_VALUES.put("empty", new byte[0]);
        HEADER_VALUES.put("NUL", new byte[] {0});
        HEADER_VALUES.put("NUL inside", new byte[] {'a', 0, 'b'});
        HEADER_VALUES.put("control chars", new byte[] {1, 2, 0x1f, 0x7f});
        HEADER_VALUES.put("non-ASCII", "é€".getBytes(StandardCharsets.UTF_8));
        HEADER_VALUES.put("invalid UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe});
        HEADER_VALUES.put("wrong type: word", "not-a-number".getBytes(StandardCharsets.UTF_8));
        HEADER_VALUES.put("wrong type: negative", "-1".getBytes(StandardCharsets.UTF_8));
        HEADER_VALUES.put("oversized 2000", "a".repeat(2000).getBytes(StandardCharsets.UTF_8));
        HEADER_VALUES.put("oversized 20000", "a".repeat(20000).getBytes(StandardCharsets.UTF_8));
        FIELD_VALUES.put("null", "null");
        FIELD_VALUES.put("NUL", "\"a\\u0000b\"");
        FIELD_VALUES.put("control chars", "\"\\u0001\\u001f\\u007f\"");
        FIELD_VALUES.put("lone surrogate", "\"\\ud800\"");
        FIELD_VALUES.put("oversized string", "\"" + "a".repeat(100_000) + "\"");
        FIELD_VALUES.put("wrong type: number", "12345");
        FIELD_VALUES.put("wrong type: string", "\"not-a-number\"");
        FIELD_VALUES.put("wrong type: boolean", "true");
        FIELD_VALUES.put("wrong type: object", "{\"a\":1}");
        FIELD_VALUES.put("wrong type: array", "[1,\"a\"]");
        FIELD_VALUES.put("huge number", "99999999999999999999999999");
        FIELD_VALUES.put("overflowing number", "1e400");
        FIELD_VALUES.put("negative", "-1");
        FIELD_VALUES.put("decimal", "1.5");
    }

    private final JsonObject openapi;
    /** Base values by parameter or field name, given the operation's path. */
    private final Function<String, Map<String, String>> known;
    private int counter;

    FuzzCases(JsonObject openapi, Function<String, Map<String, String>> known) {
        this.openapi = openapi;
        this.known = known;
    }

    record Param(String in, String name, JsonObject schema) {}

    List<FuzzRequest> cases(String path, String method, JsonObject op, List<FuzzRequest.Header> fixedHeaders) {
        String name = method.toUpperCase() + " " + path;
        Map<String, String> knownValues = known.apply(path);
        List<Param> params = new ArrayList<>();
        JsonArray ps = op.getJsonArray("parameters", new JsonArray());
        for (int i = 0; i < ps.size(); i++) {
            JsonObject p = ps.getJsonObject(i);
            params.add(new Param(p.getString("in"), p.getString("name"), resolve(p.getJsonObject("schema", new JsonObject()))));
        }
        Map<String, String> base = new LinkedHashMap<>();
        for (Param p : params) {
            base.put(p.in() + ":" + p.name(), knownValues.getOrDefault(p.name(), scalar(p.name(), p.schema(), knownValues)));
        }
        JsonObject content = op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject());
        JsonObject bodySchema = content.isEmpty() ? null : resolve(content.getJsonObject(content.containsKey("application/json")
                ? "application/json" : content.fieldNames().iterator().next()).getJsonObject("schema", new JsonObject()));
        Object baseBody = bodySchema == null ? null : value("body", bodySchema, knownValues, 0);
        String baseJson = baseBody == null ? null : encode(baseBody);

        List<FuzzRequest> out = new ArrayList<>();
        out.add(build(name, method, path, params, base, null, null, fixedHeaders, baseJson, "application/json", "base request"));
        for (Param p : params) {
            String key = p.in() + ":" + p.name();
            switch (p.in()) {
                case "path", "query" -> {
                    for (Map.Entry<String, String> e : URL_VALUES.entrySet()) {
                        Map<String, String> m = new LinkedHashMap<>(base);
                        m.put(key, e.getValue());
                        out.add(build(name, method, path, params, m, null, null, fixedHeaders, baseJson, "application/json",
                                p.in() + " " + p.name() + ": " + e.getKey()));
                    }
                    if (p.in().equals("query")) {
                        Map<String, String> m = new LinkedHashMap<>(base);
                        m.remove(key);
                        out.add(build(name, method, path, params, m, null, null, fixedHeaders, baseJson, "application/json",
                                "query " + p.name() + ": missing"));
                        out.add(build(name, method, path, params, base, p.name() + "&" + p.name() + "=1&" + p.name() + "=2", null,
                                fixedHeaders, baseJson, "application/json", "query " + p.name() + ": no value, then repeated"));
                    }
                }
                case "header" -> {
                    for (Map.Entry<String, byte[]> e : HEADER_VALUES.entrySet()) {
                        out.add(build(name, method, path, params, base, null, new FuzzRequest.Header(p.name(), e.getValue()), fixedHeaders,
                                baseJson, "application/json", "header " + p.name() + ": " + e.getKey()));
                    }
                    Map<String, String> m = new LinkedHashMap<>(base);
                    m.remove(key);
                    out.add(build(name, method, path, params, m, null, null, fixedHeaders, baseJson, "application/json",
                            "header " + p.name() + ": missing"));
                }
                default -> { }
            }
        }
        if (bodySchema != null) {
            Map<String, String> whole = new LinkedHashMap<>();
            whole.put("no body", null);
            whole.put("empty body", "");
            whole.put("truncated JSON", "{");
            whole.put("JSON null", "null");
            whole.put("JSON array", "[]");
            whole.put("JSON string", "\"a\"");
            whole.put("empty object", "{}");
            whole.put("NUL byte", "{\"a\":\"\u0000\"}");
            whole.put("deep nesting", "[".repeat(20_000) + "]".repeat(20_000));
            whole.put("oversized body 2 MB", baseJson.startsWith("{") ? "{\"padding\":\"" + "a".repeat(2_000_000) + "\"," + baseJson.substring(1)
                    : "[\"" + "a".repeat(2_000_000) + "\"]");
            for (Map.Entry<String, String> e : whole.entrySet()) {
                out.add(build(name, method, path, params, base, null, null, fixedHeaders, e.getValue(), "application/json",
                        "body: " + e.getKey()));
            }
            out.add(new FuzzRequest(name, method.toUpperCase(), target(path, params, base, null), headers(params, base, null, fixedHeaders,
                    "application/json"), bytesOrNull(baseJson) == null ? null
                    : concat(bytesOrNull(baseJson.substring(0, Math.max(0, baseJson.length() - 1))), new byte[] {(byte) 0xc3, 0x28, '}'}),
                    "body: invalid UTF-8"));
            out.add(build(name, method, path, params, base, null, null, fixedHeaders, baseJson, "text/plain", "body: wrong content type"));
            out.add(build(name, method, path, params, base, null, null, fixedHeaders, baseJson, "application/json; charset=bogus",
                    "body: unknown charset"));
            for (List<Object> field : leaves(baseBody, new ArrayList<>(), 0)) {
                String label = "body field " + field.stream().map(String::valueOf).reduce((a, b) -> a + "." + b).orElse("");
                Object removed = copy(baseBody);
                remove(removed, field);
                out.add(build(name, method, path, params, base, null, null, fixedHeaders, encode(removed), "application/json",
                        label + ": missing"));
                for (Map.Entry<String, String> e : FIELD_VALUES.entrySet()) {
                    Object marked = copy(baseBody);
                    set(marked, field, MARK);
                    out.add(build(name, method, path, params, base, null, null, fixedHeaders,
                            encode(marked).replace("\"" + MARK + "\"", e.getValue()), "application/json", label + ": " + e.getKey()));
                }
            }
        }
        return out;
    }

    private FuzzRequest build(String name, String method, String path, List<Param> params, Map<String, String> values, String rawQuery,
                              FuzzRequest.Header header, List<FuzzRequest.Header> fixed, String body, String contentType, String mutation) {
        return new FuzzRequest(name, method.toUpperCase(), target(path, params, values, rawQuery), headers(params, values, header, fixed,
                body == null ? null : contentType), bytesOrNull(body), mutation);
    }

    private static String target(String path, List<Param> params, Map<String, String> values, String rawQuery) {
        String t = path;
        StringBuilder q = new StringBuilder();
        for (Param p : params) {
            String v = values.get(p.in() + ":" + p.name());
            if (p.in().equals("path")) {
                t = t.replace("{" + p.name() + "}", v == null ? "" : v);
            } else if (p.in().equals("query") && v != null) {
                q.append(q.isEmpty() ? "?" : "&").append(p.name()).append('=').append(v);
            }
        }
        if (rawQuery != null) {
            q.append(q.isEmpty() ? "?" : "&").append(rawQuery);
        }
        return t + q;
    }

    private static List<FuzzRequest.Header> headers(List<Param> params, Map<String, String> values, FuzzRequest.Header mutated,
                                                    List<FuzzRequest.Header> fixed, String contentType) {
        List<FuzzRequest.Header> h = new ArrayList<>(fixed);
        for (Param p : params) {
            String v = values.get(p.in() + ":" + p.name());
            if (p.in().equals("header") && v != null && (mutated == null || !mutated.name().equals(p.name()))) {
                h.add(FuzzRequest.Header.of(p.name(), v));
            }
        }
        if (mutated != null) {
            h.add(mutated);
        }
        if (contentType != null) {
            h.add(FuzzRequest.Header.of("Content-Type", contentType));
        }
        return h;
    }

    private JsonObject resolve(JsonObject schema) {
        String ref = schema.getString("$ref");
        if (ref != null && ref.startsWith("#/components/schemas/")) {
            return resolve(openapi.getJsonObject("components").getJsonObject("schemas").getJsonObject(ref.substring(21), new JsonObject()));
        }
        return schema;
    }

    /** A valid-looking value of a schema. */
    private Object value(String name, JsonObject schema, Map<String, String> knownValues, int depth) {
        schema = resolve(schema);
        if (knownValues.containsKey(name)) {
            return knownValues.get(name);
        }
        String type = schema.getString("type", schema.containsKey("properties") ? "object" : "string");
        switch (type) {
            case "object" -> {
                JsonObject o = new JsonObject();
                JsonObject props = schema.getJsonObject("properties", new JsonObject());
                for (String p : props.fieldNames()) {
                    if (depth < 4) {
                        o.put(p, value(p, props.getJsonObject(p), knownValues, depth + 1));
                    }
                }
                if (props.isEmpty() && schema.getValue("additionalProperties") instanceof JsonObject) {
                    o.put("size", "large");
                }
                return o;
            }
            case "array" -> {
                return new JsonArray().add(value(name, schema.getJsonObject("items", new JsonObject()), knownValues, depth + 1));
            }
            case "integer", "number" -> {
                return schema.getValue("minimum") instanceof Number n && n.longValue() > 1 ? n.longValue() : 1;
            }
            case "boolean" -> {
                return Boolean.FALSE;
            }
            default -> {
                return scalar(name, schema, knownValues);
            }
        }
    }

    private String scalar(String name, JsonObject schema, Map<String, String> knownValues) {
        schema = resolve(schema);
        if (knownValues.containsKey(name)) {
            return knownValues.get(name);
        }
        String type = schema.getString("type", "string");
        if (type.equals("integer") || type.equals("number")) {
            return "1";
        }
        if (type.equals("boolean")) {
            return "false";
        }
        if (schema.getJsonArray("enum") != null && !schema.getJsonArray("enum").isEmpty()) {
            return String.valueOf(schema.getJsonArray("enum").getValue(0));
        }
        String format = schema.getString("format", "");
        String pattern = schema.getString("pattern", "");
        String lower = name.toLowerCase();
        if (format.equals("uuid")) {
            return UUID.randomUUID().toString();
        }
        if (format.equals("date-time")) {
            return java.time.Instant.now().toString();
        }
        if (lower.contains("email")) {
            return "fuzz" + (++counter) + "@fuzz.example";
        }
        if (lower.contains("url")) {
            return "http://127.0.0.1:9";
        }
        if (lower.contains("currency") || pattern.contains("[A-Z]{3}")) {
            return "EUR";
        }
        if (lower.contains("host") || lower.contains("domain")) {
            return "fuzz" + (++counter) + ".fuzz.example";
        }
        if (pattern.matches("[a-z]+(\\|[a-z]+)+")) {
            return pattern.substring(0, pattern.indexOf('|'));
        }
        return "fuzz" + (++counter);
    }

    private static String encode(Object o) {
        return o instanceof JsonObject j ? j.encode() : o instanceof JsonArray a ? a.encode() : o == null ? null : "\"" + o + "\"";
    }

    private static byte[] bytesOrNull(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Paths to every field: keys of objects, index 0 of arrays; at most three levels deep. */
    private static List<List<Object>> leaves(Object node, List<Object> at, int depth) {
        List<List<Object>> out = new ArrayList<>();
        if (depth > 3) {
            return out;
        }
        if (node instanceof JsonObject o) {
            for (String k : o.fieldNames()) {
                List<Object> p = new ArrayList<>(at);
                p.add(k);
                out.add(p);
                out.addAll(leaves(o.getValue(k), p, depth + 1));
            }
        } else if (node instanceof JsonArray a && !a.isEmpty()) {
            List<Object> p = new ArrayList<>(at);
            p.add(0);
            out.add(p);
            out.addAll(leaves(a.getValue(0), p, depth + 1));
        }
        return out;
    }

    private static Object copy(Object o) {
        return o instanceof JsonObject j ? j.copy() : o instanceof JsonArray a ? a.copy() : o;
    }

    private static Object parent(Object root, List<Object> path) {
        Object n = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object k = path.get(i);
            n = k instanceof Integer idx ? ((JsonArray) n).getValue(idx) : ((JsonObject) n).getValue((String) k);
        }
        return n;
    }

    private static void set(Object root, List<Object> path, Object v) {
        Object p = parent(root, path);
        Object k = path.get(path.size() - 1);
        if (k instanceof Integer idx) {
            ((JsonArray) p).set(idx, v);
        } else {
            ((JsonObject) p).put((String) k, v);
        }
    }

    private static void remove(Object root, List<Object> path) {
        Object p = parent(root, path);
        Object k = path.get(path.size() - 1);
        if (k instanceof Integer idx) {
            ((JsonArray) p).remove((int) idx);
        } else {
            ((JsonObject) p).remove((String) k);
        }
    }
}
