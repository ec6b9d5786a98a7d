/**
 * The gateway (gateway role only): resolves each shopper request's host name to its tenant and cell
 * in memory and forwards it there. Every path of the public port except {@code /q/*} (refused there
 * with 404: the node's own endpoints and the operator views are on the management interface only)
 * belongs to the shops, so the gateway answers them itself: a host it does not know gets a 404 problem.
 *
 * <p>API: none (it serves HTTP only). {@code gateway.internal}: the host normalisation, the route
 * table and the Vert.x route that answers shopper traffic; {@code gateway.internal.edgecache}: the
 * shared cache of shoppers' anonymous reads (per tenant, bounded in bytes, purged by catalogue events;
 * ADR 0013); {@code gateway.internal.admission}: the admission of requests to cells (an adaptive
 * concurrency limit per cell, capped by the cell's reported saturation, shared fairly between tenants;
 * ADR 0016).
 *
 * <p>Events consumed: the catalogue's events ({@code <platform>.catalog.events}, read generically
 * through {@link platform.SurrogateKeys}) to purge the edge cache; the cells' heartbeats
 * ({@link tenancy.CellHeartbeat} on {@code <platform>.tenancy.cell-heartbeats}) for their saturation.
 * Allowed dependencies: tenancy, platform.
 *
 * @see architecture.ModularityTest
 */
package gateway;
