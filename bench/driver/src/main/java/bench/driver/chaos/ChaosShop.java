package bench.driver.chaos;

import bench.driver.Setup;
import java.util.List;

/** A shop under load: the created shop, its owner's admin token, its cell's address and its variants. */
record ChaosShop(Setup.Shop shop, String adminToken, String cellUrl, List<String> variants) {

    String cell() {
        return shop.cell();
    }

    int products() {
        return variants.size();
    }
}
