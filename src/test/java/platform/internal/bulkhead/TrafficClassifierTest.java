package platform.internal.bulkhead;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;

class TrafficClassifierTest {

    @Traffic(TrafficClass.CART)
    static class Carts {
        public void add() {}

        @Traffic(TrafficClass.CHECKOUT)
        public void checkout() {}
    }

    static class Unclassified {
        public void read() {}
    }

    @Test
    void aMethodOverridesItsClassAndNoDeclarationIsBrowse() throws Exception {
        assertEquals(TrafficClass.CART, TrafficClassifier.declared(Carts.class.getMethod("add"), Carts.class));
        assertEquals(TrafficClass.CHECKOUT, TrafficClassifier.declared(Carts.class.getMethod("checkout"), Carts.class));
        assertEquals(TrafficClass.CART, TrafficClassifier.declared(null, Carts.class));
        assertEquals(TrafficClass.BROWSE, TrafficClassifier.declared(Unclassified.class.getMethod("read"), Unclassified.class));
        assertEquals(TrafficClass.BROWSE, TrafficClassifier.declared(null, null));
    }
}
