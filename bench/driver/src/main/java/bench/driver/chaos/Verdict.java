package bench.driver.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One scenario's outcome: pass or fail against the stated bound, with the figures it rests on. */
final class Verdict {

    final String id;
    final String title;
    final String bound;
    final Map<String, Object> figures = new LinkedHashMap<>();
    final List<String> failures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    long seconds;

    Verdict(String id, String title, String bound) {
        this.id = id;
        this.title = title;
        this.bound = bound;
    }

    Verdict figure(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Records a failed check unless {@code ok}. */
    Verdict check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
        return this;
    }

    Verdict note(String note) {
        notes.add(note);
        return this;
    }

    boolean passed() {
        return failures.isEmpty();
    }

    String figuresText() {
        StringBuilder b = new StringBuilder();
        figures.forEach((k, v) -> {
            if (!(v instanceof JsonArray) && !(v instanceof JsonObject)) {
                b.append(b.isEmpty() ? "" : "; ").append(k).append(' ').append(v);
            }
        });
        return b.toString();
    }

    JsonObject toJson() {
        JsonObject f = new JsonObject();
        figures.forEach((k, v) -> f.put(k, v instanceof JsonObject || v instanceof JsonArray || v instanceof Number
                || v instanceof Boolean ? v : String.valueOf(v)));
        return new JsonObject().put("id", id).put("title", title).put("verdict", passed() ? "PASS" : "FAIL").put("bound", bound)
                .put("seconds", seconds).put("figures", f).put("failures", new JsonArray(new ArrayList<>(failures)))
                .put("notes", new JsonArray(new ArrayList<>(notes)));
    }
}
