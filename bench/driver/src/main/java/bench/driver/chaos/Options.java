package bench.driver.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The chaos sub-command's options ({@code --name=value}), with the short form's defaults where it has its own. */
record Options(Map<String, List<String>> args, boolean shortForm) {

    static Options of(Map<String, List<String>> args) {
        return new Options(args, args.containsKey("short"));
    }

    String get(String key, String dflt) {
        List<String> v = args.get(key);
        if (v == null || v.isEmpty()) {
            if (dflt == null) {
                throw new IllegalArgumentException("missing --" + key);
            }
            return dflt;
        }
        return v.get(v.size() - 1);
    }

    String get(String key) {
        return get(key, null);
    }

    /** A number of seconds: {@code --key}, else the full or the short form's default. */
    Duration seconds(String key, int full, int shortDefault) {
        return Duration.ofMillis((long) (1000 * Double.parseDouble(get(key, Integer.toString(shortForm ? shortDefault : full)))));
    }

    double number(String key, double dflt) {
        return Double.parseDouble(get(key, Double.toString(dflt)));
    }

    boolean wants(String scenario) {
        String only = get("only", "");
        return only.isEmpty() || List.of(only.split(",")).contains(scenario);
    }
}
