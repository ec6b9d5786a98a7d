package bench.driver.chaos;

import bench.driver.Setup;
import java.util.List;

/** What every scenario works with: the options, the platform's nodes and servers, the shops, the load and the order events. */
record Context(Options options, Setup setup, Nodes nodes, Infra infra, List<ChaosShop> shops, SteadyLoad load,
               OrderEvents events, OrderAudit audit) {

    List<ChaosShop> shopsOn(String cell) {
        return shops.stream().filter(s -> s.cell().equals(cell)).toList();
    }

    String gateway() {
        return setup.gateway;
    }

    String control() {
        return setup.control;
    }

    String token() {
        return setup.token;
    }
}
