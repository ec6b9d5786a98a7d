/**
 * The catalogue of each shop on a cell: products, variants, collections and inventory.
 *
 * <p>API (root package): facades, views and events that other modules use; {@code catalog.internal}:
 * entities (persistence unit "cell"), repositories, the storefront and admin resources.
 *
 * <p>Allowed dependencies: tenancy, platform.
 *
 * @see architecture.ModularityTest
 */
package catalog;
