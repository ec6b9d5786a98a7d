/** Plain JDBC helpers for the orders module's statements (ADR 0026). */
package orders.internal.sql;
