/**
 * Tenancy on a cell: the cell's own record of the tenants (shops) it serves and the cell's reports
 * about itself to the control plane.
 *
 * <p>API: {@link tenancy.CellHeartbeat} (the message a cell sends periodically with its liveness,
 * load, {@link tenancy.CellSaturation saturation} and its shops' recent {@link tenancy.CellLoad load}), {@link tenancy.ShopSettings} (settings the merchant edits, such as the shop's time
 * zone; also served at {@code /api/admin/settings}). {@code tenancy.internal}: the tenant records (persistence unit "cell"), the heartbeat
 * publisher and the cell status endpoint; staff accounts and their sign-in, with its limits per
 * client address and per account and address in {@code tenancy.internal.signin} (ADR 0011); the shops'
 * recent requests and database time for the heartbeats in {@code tenancy.internal.load} (ADR 0018).
 *
 * <p>Events published: {@code CellHeartbeat} (with the node's {@link tenancy.CellSaturation}) on Kafka
 * topic {@code <platform>.tenancy.cell-heartbeats} (channel {@code tenancy-heartbeats}, cell role only;
 * read by the control plane and by gateways). Consumed: none yet.
 *
 * <p>Allowed dependencies: platform.
 *
 * @see architecture.ModularityTest
 */
package tenancy;
