/**
 * Recent load per tenant in bounded memory: {@link platform.load.RecentLoad} counts a weight per
 * tenant (database time, requests) over the last full window and the running one in heavy-hitters
 * sketches, so that a node with a hundred thousand shops keeps a few dozen counters and still finds
 * every shop that takes a noticeable part of it. Used by the cell's bulkhead (database time) and its
 * request counting; their summaries travel in the cell's heartbeats to the control plane's hot-tenant
 * detection (docs/adr/0018-hot-tenant-detection.md).
 *
 * @see architecture.ModularityTest
 */
package platform.load;
