package architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.library.modules.syntax.AllowedModuleDependencies.allow;
import static com.tngtech.archunit.library.modules.syntax.ModuleDependencyScope.consideringOnlyDependenciesInAnyPackage;
import static com.tngtech.archunit.library.modules.syntax.ModuleRuleDefinition.modules;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of the monolith: modules are top-level packages whose root package is their
 * API and whose {@code internal} package is private. Dependencies between modules follow the
 * declared graph and form no cycle.
 */
class ModularityTest {

    static final String[] MODULES = {"platform", "tenancy", "catalog", "orders", "controlplane", "gateway", "admin", "lifecycle"};

    static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(MODULES);

    static final ArchRule MODULES_ARE_ACYCLIC =
            slices().matching("(*)..").namingSlices("$1").should().beFreeOfCycles().allowEmptyShould(true);

    static final ArchRule ONLY_DECLARED_DEPENDENCIES = modules().definedByPackages("(*)..")
            .should().respectTheirAllowedDependencies(
                    allow().fromModule("tenancy").toModules("platform")
                            .fromModule("catalog").toModules("tenancy", "platform")
                            .fromModule("orders").toModules("catalog", "tenancy", "platform")
                            .fromModule("controlplane").toModules("tenancy", "platform")
                            .fromModule("gateway").toModules("tenancy", "platform")
                            .fromModule("admin").toModules("catalog", "orders", "lifecycle", "tenancy", "platform")
                            .fromModule("lifecycle").toModules("catalog", "orders", "tenancy", "platform"),
                    consideringOnlyDependenciesInAnyPackage("platform..", "tenancy..", "catalog..", "orders..",
                            "controlplane..", "gateway..", "admin..", "lifecycle.."));

    static List<ArchRule> internalsArePrivate() {
        List<ArchRule> rules = new ArrayList<>();
        for (String module : MODULES) {
            rules.add(noClasses().that().resideOutsideOfPackage(module + "..")
                    .should().dependOnClassesThat().resideInAPackage(module + ".internal..")
                    .because(module + ".internal is private to " + module).allowEmptyShould(true));
        }
        return rules;
    }

    @Test
    void modulesAreAcyclic() {
        MODULES_ARE_ACYCLIC.check(PRODUCTION);
    }

    @Test
    void modulesDependOnlyOnDeclaredModules() {
        ONLY_DECLARED_DEPENDENCIES.check(PRODUCTION);
    }

    @Test
    void noModuleReachesIntoAnotherModulesInternals() {
        internalsArePrivate().forEach(rule -> rule.check(PRODUCTION));
    }

    @Test
    void everyModuleDocumentsItself() {
        for (String module : MODULES) {
            assertTrue(PRODUCTION.containPackage(module) && PRODUCTION.getPackage(module).getPackageInfo() != null,
                    module + " has a package-info.java");
        }
    }

    /** The rules are not vacuous: a class that breaks them (a test fixture) is reported. */
    @Test
    void rulesReportAViolation() {
        JavaClasses withViolation = new ClassFileImporter()
                .importPackages(MODULES); // includes tenancy.ArchitectureViolationFixture from the test sources
        EvaluationResult forbidden = ONLY_DECLARED_DEPENDENCIES.evaluate(withViolation);
        assertTrue(forbidden.hasViolation(), "tenancy -> controlplane must be reported");
        assertTrue(forbidden.getFailureReport().toString().contains("ArchitectureViolationFixture"));
        assertTrue(internalsArePrivate().stream().anyMatch(rule -> rule.evaluate(withViolation).hasViolation()),
                "use of controlplane.internal from tenancy must be reported");
        assertTrue(MODULES_ARE_ACYCLIC.evaluate(withViolation).hasViolation(),
                "tenancy <-> controlplane is a cycle and must be reported");
        assertFalse(ONLY_DECLARED_DEPENDENCIES.evaluate(PRODUCTION).hasViolation());
    }
}
