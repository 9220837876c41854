package tailflow.agent;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agent's package rules (DESIGN.md), checked on the compiled classes: data flows one way,
 * components get a context instead of the runtime, and each part knows only what it must.
 */
@AnalyzeClasses(packages = "tailflow.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * Every package is its own slice ({@code agent}, {@code agent.ops.http}, ...), the root included.
     * One known exception, inside sflow: the host-adapters record carries {@code sflow.MacAddress};
     * moving MacAddress into {@code sflow.record} removes it (then delete the ignore).
     */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("tailflow.(**)")
            .namingSlices("$1").should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage("tailflow.agent.sflow.record"),
                    simpleName("MacAddress").and(resideInAPackage("tailflow.agent.sflow")));

    @ArchTest
    static final ArchRule nothingDependsOnTheRuntime = noClasses()
            .that().resideOutsideOfPackage("tailflow.agent")
            .should().dependOnClassesThat().resideInAPackage("tailflow.agent")
            .because("components get a ComponentContext (options, metrics, health), not the runtime or the command line");

    @ArchTest
    static final ArchRule opsDependsOnAHealthViewNotTheRuntime = noClasses()
            .that().resideInAPackage("tailflow.agent.ops..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "tailflow.agent", "tailflow.agent.logs..", "tailflow.agent.sflow..", "tailflow.agent.journal..")
            .because("/ready, the status line and the watchdog read the HealthView and the metrics");

    @ArchTest
    static final ArchRule lokiAndStagesKnowNothingOfFilesOrTheJournal = noClasses()
            .that().resideInAnyPackage("tailflow.agent.loki..", "tailflow.agent.stages..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "tailflow.agent.logs..", "tailflow.agent.files..", "tailflow.agent.journal..")
            .because("a client batches entries and hands back checkpoints; a stage maps entries (DESIGN.md)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule configKnowsNoPipeline = noClasses()
            .that().resideInAPackage("tailflow.agent.config..")
            .should().dependOnClassesThat().resideInAnyPackage("tailflow.agent", "tailflow.agent.logs..",
                    "tailflow.agent.loki..", "tailflow.agent.sflow..", "tailflow.agent.ops..", "tailflow.agent.dryrun..")
            .because("the config is read and checked before any pipeline exists");
}
