/**
 * The cell's storefront read cache: answers of the public catalogue per (tenant, entry) in the
 * node's memory ({@link catalog.internal.readcache.NearCache}) in front of the cell's Redis
 * ({@link catalog.internal.readcache.RedisTier}), consistent with the tenant's catalogue version
 * ({@link catalog.internal.readcache.TenantVersions}, kept fresh by
 * {@link catalog.internal.readcache.VersionChannel}). The only entry point is
 * {@link catalog.internal.readcache.StorefrontReadCache}; see docs/adr/0014-cell-near-cache.md.
 */
package catalog.internal.readcache;
