/**
 * Stock held by carts (ADR 0029): a shop's hold setting ({@link orders.internal.holds.HoldSettings}), the holds a cart
 * change takes and gives back and a checkout claims ({@link orders.internal.holds.CartHolds}), and the cell's expiry of
 * lapsed holds in bounded batches, shop by shop ({@link orders.internal.holds.HoldExpiry}).
 */
package orders.internal.holds;
