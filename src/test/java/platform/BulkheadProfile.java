package platform;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * A cell node as {@link CellRoleProfile}, whose checkouts wait for a row lock up to a minute (the
 * default is 3 s), so that a test holding the lock decides how long a tenant's checkouts keep their
 * connections, and whose listings and searches (the report class) may run {@value #REPORT_STATEMENT_TIMEOUT}
 * (the default is 1 s), so that an expensive admin search is cut in a test's time. The pool keeps its default size
 * ({@code DB_POOL_MAX} 20: 18 for the bulkhead, 9 for one tenant alone).
 */
public class BulkheadProfile implements QuarkusTestProfile {

    /** The report class's statement timeout. */
    public static final String REPORT_STATEMENT_TIMEOUT = "500ms";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new CellRoleProfile().getConfigOverrides());
        config.put("CELL_BULKHEAD_CHECKOUT_LOCK_TIMEOUT", "60s");
        config.put("CELL_BULKHEAD_CHECKOUT_STATEMENT_TIMEOUT", "90s");
        config.put("CELL_BULKHEAD_REPORT_STATEMENT_TIMEOUT", REPORT_STATEMENT_TIMEOUT);
        return config;
    }
}
