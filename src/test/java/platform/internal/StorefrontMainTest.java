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
    void platformAndNodeIdsAreOptionalButMustBeValid() {
        assertEquals(Optional.empty(), check(Map.of("STOREFRONT_ROLE", "control", "PLATFORM_ID", "eu-west-2", "NODE_ID", "b")));
        assertEquals("PLATFORM_ID='Shop_EU' is invalid: use 1-40 lower-case letters, digits or dashes,"
                        + " starting and ending with a letter or digit",
                check(Map.of("STOREFRONT_ROLE", "gateway", "PLATFORM_ID", "Shop_EU")).orElseThrow());
        assertTrue(check(Map.of("STOREFRONT_ROLE", "control", "PLATFORM_ID", "a.b")).orElseThrow().startsWith("PLATFORM_ID='a.b'"));
        assertTrue(check(Map.of("STOREFRONT_ROLE", "control", "PLATFORM_ID", "-x")).isPresent());
        assertTrue(check(Map.of("STOREFRONT_ROLE", "control", "NODE_ID", "Node 1")).orElseThrow().startsWith("NODE_ID='Node 1'"));
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
