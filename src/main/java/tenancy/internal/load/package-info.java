/**
 * The recent load of a cell node's shops (requests and database time per shop, in bounded sketches),
 * reported in its heartbeats for the control plane's hot-tenant detection
 * (docs/adr/0018-hot-tenant-detection.md).
 */
package tenancy.internal.load;
