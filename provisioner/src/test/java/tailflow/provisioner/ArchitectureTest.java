package tailflow.provisioner;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The provisioner's package rule (DESIGN.md: inventory, ssh, facts, plan, bundle, report): no cycles. */
@AnalyzeClasses(packages = "tailflow.provisioner", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Every package is its own slice, the root ({@code tailflow.provisioner}, the command line) included. */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("tailflow.(**)")
            .namingSlices("$1").should().beFreeOfCycles();
}
