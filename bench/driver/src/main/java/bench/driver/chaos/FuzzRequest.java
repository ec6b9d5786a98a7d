package bench.driver.chaos;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One fuzz request: method, request target (path and query, already as bytes on the wire would
 * show them), headers with raw values, body, and what was mutated.
 */
record FuzzRequest(String operation, String method, String target, List<Header> headers, byte[] body, String mutation) {

    record Header(String name, byte[] value) {
        static Header of(String name, String value) {
            return new Header(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** For the report: the request, with long or unprintable parts shortened or escaped. */
    String describe() {
        String t = target.length() > 160 ? target.substring(0, 160) + "...(" + target.length() + " chars)" : target;
        StringBuilder b = new StringBuilder(method).append(' ').append(t);
        if (body != null) {
            String s = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
            b.append(" body ").append(escape(s)).append(body.length > 160 ? "...(" + body.length + " bytes)" : "");
        }
        return b.append(" [").append(mutation).append(']').toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
