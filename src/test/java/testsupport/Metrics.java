package testsupport;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;

/** Samples of a node's Prometheus metrics ({@code /q/metrics} on its management interface). */
public final class Metrics {

    private Metrics() {}

    /** The node's metrics as Prometheus text. */
    public static String scrape(String managementUrl) {
        return given().baseUri(managementUrl).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The values of a counter per value of one of its tags, summed over its other tags: for example
     * {@code storefront_cache_fallbacks_total} per {@code reason}. A counter never incremented has none; a meter
     * without tags has its value under the empty tag value.
     */
    public static Map<String, Double> byTag(String managementUrl, String metric, String tag) {
        Map<String, Double> values = new HashMap<>();
        for (String line : scrape(managementUrl).lines().toList()) {
            if (line.startsWith(metric + " ")) { // a meter without tags
                values.merge("", Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                continue;
            }
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
            String value = "";
            for (String label : labels.split(",")) {
                String[] pair = label.split("=", 2);
                if (pair.length == 2 && pair[0].trim().equals(tag)) {
                    value = pair[1].trim().replace("\"", "");
                }
            }
            double sample = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            values.merge(value, sample, Double::sum);
        }
        return values;
    }

    /** The sum of a counter over all its tags (0 when it was never incremented). */
    public static double total(String managementUrl, String metric) {
        return byTag(managementUrl, metric, "").values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
