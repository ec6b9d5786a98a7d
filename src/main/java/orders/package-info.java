/**
 * Carts, checkout and orders of each shop on a cell, with the outbox that carries order events to
 * Kafka.
 *
 * <p>API (root package): facades, views and events; {@code orders.internal}: carts and checkout in plain SQL,
 * order entities (persistence unit "cell"), resources, and the shops' waiting rooms ({@code orders.internal.waitingroom}).
 *
 * <p>Allowed dependencies: catalog, tenancy, platform.
 *
 * @see architecture.ModularityTest
 */
package orders;
