package orders;

/**
 * The bound shop's waiting room for checkouts as its merchant sees and sets it (admin API and admin UI): whether it is
 * on, whether it turns itself on when checkouts come faster than it admits them, how many it admits per second, and
 * what it is doing now.
 */
public interface WaitingRooms {

    /** Checkouts admitted per second when the merchant has not chosen. */
    int DEFAULT_ADMIT_PER_SECOND = 50;
    /** The most checkouts a room admits per second (and the least: 1). */
    int MAX_ADMIT_PER_SECOND = 10_000;

    /**
     * The merchant's settings: {@code enabled} turns the room on now (ahead of a sale); {@code automatic} lets it turn
     * itself on when more checkouts come within a second than {@code admitPerSecond} (1-10,000).
     */
    record Settings(boolean enabled, boolean automatic, int admitPerSecond) {}

    /** Why a room is on now. */
    enum Reason { OFF, MERCHANT, DEMAND }

    /**
     * The room now: on or off and why, shoppers waiting, tickets handed out and admitted since the room last started
     * a queue, orders placed through it, answers "sold out". {@code live} is false when the queue could not be read
     * (the figures are then zero).
     */
    record Figures(Reason on, long waiting, long issued, long admitted, long sold, long soldOut, boolean live) {}

    Settings settings();

    /** Saves the settings; this node applies them at once, the cell's other nodes within seconds. */
    Settings save(Settings settings);

    Figures figures();
}
