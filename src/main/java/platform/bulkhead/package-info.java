/**
 * Bulkheads and traffic classes inside a cell node: {@link platform.bulkhead.TenantBulkhead}
 * admits each database transaction for its tenant and {@link platform.bulkhead.TrafficClass}, and
 * {@link platform.bulkhead.Traffic} declares the class of a REST resource. The limiter behind it
 * lives in {@code platform.internal.bulkhead}; see docs/adr/0017-bulkheads-and-traffic-classes-in-a-cell.md.
 *
 * @see architecture.ModularityTest
 */
package platform.bulkhead;
