package orders;

/**
 * The bound shop's stock holds as its merchant sees and sets them (admin API and admin UI): while {@code holdSeconds}
 * is above zero, adding to a cart takes the stock out of sale for that long after the cart's last change, so that a
 * shopper who filled a cart during a sale finds the stock at checkout; lapsed holds return to stock by themselves.
 */
public interface StockHolds {

    /** The longest hold a shop can set (an hour); 0 turns holds off, the default. */
    int MAX_HOLD_SECONDS = 3600;

    /** Seconds a cart holds its stock after its last change (0: off). */
    int holdSeconds();

    /** Saves how long carts hold stock (0-{@link #MAX_HOLD_SECONDS}); applies at once on this node, within seconds on the cell's others. */
    int save(int holdSeconds);
}
