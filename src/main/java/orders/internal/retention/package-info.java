/** Retention of the orders module's short-lived rows: abandoned carts ({@link orders.internal.retention.CartRetention}). */
package orders.internal.retention;
