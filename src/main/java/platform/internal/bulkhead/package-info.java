/**
 * The cell node's bulkheads behind {@link platform.bulkhead.TenantBulkhead}: the
 * {@link platform.internal.bulkhead.Limiter} (permits per tenant and traffic class, priorities,
 * bounded waits), the database time per tenant in bounded heavy-hitters sketches
 * ({@link platform.load.RecentLoad}), the REST filter that gives each request its
 * class, the settings ({@code CELL_BULKHEAD_*}) and the operator's view {@code /q/cell/bulkhead}.
 * See docs/adr/0017-bulkheads-and-traffic-classes-in-a-cell.md.
 */
package platform.internal.bulkhead;
