package architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import jakarta.ws.rs.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import platform.bulkhead.Traffic;
import tenancy.ShopRequest;

/**
 * Every REST resource that serves a shop declares the traffic class of its requests
 * ({@link Traffic} on the class, or on each of its resource methods): the class decides how much of
 * the cell's database its requests may hold and in which order they are refused when the cell is
 * busy, so none falls back to the default by oversight.
 */
class TrafficClassesTest {

    @Test
    void everyShopResourceDeclaresItsTrafficClass() {
        List<String> undeclared = new ArrayList<>();
        int resources = 0;
        for (JavaClass type : ModularityTest.PRODUCTION) {
            if (!type.isAnnotatedWith(ShopRequest.class)) {
                continue;
            }
            resources++;
            if (type.isAnnotatedWith(Traffic.class)) {
                continue;
            }
            for (JavaMethod method : type.getMethods()) {
                boolean resourceMethod = method.getAnnotations().stream()
                        .anyMatch(a -> a.getRawType().isAnnotatedWith(HttpMethod.class));
                if (resourceMethod && !method.isAnnotatedWith(Traffic.class)) {
                    undeclared.add(type.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertTrue(resources >= 10, "the shop resources were found: " + resources);
        assertEquals(List.of(), undeclared, "resource methods without a traffic class");
    }
}
