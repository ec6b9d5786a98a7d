package platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StorefrontMainTest {

    private static Optional<String> check(Map<String, String> env) {
        return StorefrontMain.checkFlags(env, new Properties());
    }

    @Test
    void missingRoleNamesTheVariableAndTheAllowedValues() {
        String problem = check(Map.of()).orElseThrow();
        assertTrue(problem.contains("STOREFRONT_ROLE"), problem);
        assertTrue(problem.contains("cell, control, gateway"), problem);
    }

    @Test
    void unknownRoleIsRejected() {
        String problem = check(Map.of("STOREFRONT_ROLE", "router")).orElseThrow();
        assertTrue(problem.contains("'router'") && problem.contains("cell, control, gateway"), problem);
    }

    @Test
    void cellNeedsAValidCellId() {
        assertTrue(check(Map.of("STOREFRONT_ROLE", "cell")).orElseThrow().contains("CELL_ID is required"));
        assertTrue(check(Map.of("STOREFRONT_ROLE", "cell", "CELL_ID", "Cell 1")).orElseThrow().contains("CELL_ID='Cell 1'"));
        assertEquals(Optional.empty(), check(Map.of("STOREFRONT_ROLE", "cell", "CELL_ID", "cell1")));
    }

    @Test
    void otherRolesNeedNoCellIdAndIgnoreCase() {
        assertEquals(Optional.empty(), check(Map.of("STOREFRONT_ROLE", "control")));
        assertEquals(Optional.empty(), check(Map.of("STOREFRONT_ROLE", "Gateway")));
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        Properties props = new Properties();
        props.setProperty("storefront.role", "control");
        assertEquals(Optional.empty(), StorefrontMain.checkFlags(Map.of("STOREFRONT_ROLE", "nonsense"), props));
    }
}
