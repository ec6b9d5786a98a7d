/** Plain JDBC for the orders module's statements (ADR 0026), and its background jobs' transactions over every shop of a cell. */
package orders.internal.sql;
