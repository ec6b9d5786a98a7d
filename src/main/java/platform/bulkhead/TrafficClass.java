package platform.bulkhead;

import java.util.Locale;

/**
 * What a unit of database work on a cell is for, which sets its limits: how much of the cell's
 * connection pool it may hold, how long it may wait for a connection, and how long its statements
 * and lock waits may run. Declared in priority order: when the cell is busy, a connection that
 * comes free goes to waiting work of the earliest class first, and the latest classes are the
 * first to wait and to be refused.
 */
public enum TrafficClass {

    /** Shoppers placing orders: reserved capacity, the last to be refused. */
    CHECKOUT,
    /** Work no request waits for: the outbox relay and its clean-up, Kafka consumers, scheduled jobs. */
    BACKGROUND,
    /** Shoppers' carts. */
    CART,
    /** Shoppers' reads of the storefront (shop, catalogue, order status). */
    BROWSE,
    /** The merchant admin, API and pages: a shop's settings, its products and orders one at a time, and their edits. */
    ADMIN,
    /**
     * The merchant's listings, searches and reports, API and pages: reads whose cost grows with the shop's
     * catalogue or order history (a search no index serves reads all of it); the shortest statement timeout
     * of a request and the first to be refused.
     */
    REPORT;

    /** The lower-case name, as in metric tags and settings ({@code checkout}). */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
