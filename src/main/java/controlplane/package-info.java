/**
 * The control plane (control role only): the fleet of cells and, as it grows, tenants, domains,
 * placement and provisioning. Owns the control database (persistence unit "control").
 *
 * <p>API: none yet (other roles talk to it only over Kafka and HTTP). {@code controlplane.internal}:
 * the cell registry, the operator API under {@code /api/controlplane} (bearer {@code OPERATOR_TOKEN}),
 * the consumer of cell heartbeats, placement ({@code controlplane.internal.placement}) and hot-tenant
 * detection ({@code controlplane.internal.hot}, ADR 0018).
 *
 * <p>Events consumed: {@link tenancy.CellHeartbeat} from {@code <platform>.tenancy.cell-heartbeats}
 * (channel {@code controlplane-heartbeats}). Published: none yet.
 *
 * <p>Allowed dependencies: tenancy, platform.
 *
 * @see architecture.ModularityTest
 */
package controlplane;
