/**
 * The data lifecycle of the shops on a cell: a shop's export into one archive (every tenant-owned row as NDJSON per
 * table, with a manifest of row counts and checksums), its import into an empty shop, and (later) purges and shoppers'
 * data requests. Which tables a tenant owns is read from the cell database's own catalogue, never listed by hand, so
 * that a table added later cannot be forgotten (docs/adr/0031).
 *
 * <p>API (root package): none yet; {@code lifecycle.internal}: the catalogue of tenant tables
 * ({@code lifecycle.internal.tables}), archives and their store ({@code lifecycle.internal.archive}), the export and
 * its jobs ({@code lifecycle.internal.export}), the import ({@code lifecycle.internal.importing}), and the resources.
 *
 * <p>Allowed dependencies: catalog, orders, tenancy, platform (the lifecycle of a shop's rows spans every module).
 *
 * @see architecture.ModularityTest
 */
package lifecycle;
