/**
 * Carts, checkout and orders of each shop on a cell, with the outbox that carries order events to
 * Kafka.
 *
 * <p>API (root package): facades, views and events; {@code orders.internal}: entities (persistence
 * unit "cell"), repositories, resources and messaging adapters.
 *
 * <p>Allowed dependencies: catalog, tenancy, platform.
 *
 * @see architecture.ModularityTest
 */
package orders;
