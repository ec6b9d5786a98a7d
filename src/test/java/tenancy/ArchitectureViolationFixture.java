package tenancy;

import controlplane.internal.Cell;

/**
 * Deliberately breaks the module rules (tenancy may not depend on controlplane, nor anyone on
 * another module's internals); used only by {@code architecture.ModularityTest} to show that the
 * rules catch it.
 */
class ArchitectureViolationFixture {

    String reachIntoControlPlane(Cell cell) {
        return cell.id;
    }
}
