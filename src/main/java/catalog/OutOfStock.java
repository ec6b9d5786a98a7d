package catalog;

import java.util.List;
import java.util.UUID;

/** A reservation asked for more than is available; nothing was taken. */
public class OutOfStock extends RuntimeException {

    private final transient List<UUID> variants;

    public OutOfStock(List<UUID> variants) {
        super("not enough stock for " + variants, null, false, false);
        this.variants = List.copyOf(variants);
    }

    /** The variants that could not be reserved. */
    public List<UUID> variants() {
        return variants;
    }
}
