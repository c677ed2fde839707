package io.dftune.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.dftune.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** How the operator's packages may use each other (its main classes; tests may reach anywhere). */
class PackageImportsTest {
    private static final String ROOT = FineTuneJobReconciler.class.getPackageName();

    @Test
    void noPackagesImportEachOtherInACircle() {
        PackageCycles.assertNoneUnder(FineTuneJobReconciler.class);
    }

    /** status/ decides what the status is, dependent/ builds objects; what one needs of the other, the reconciler passes. */
    @Test
    void statusDecidesAndDependentBuildsWithoutImportingEachOther() {
        JavaClasses classes = PackageCycles.mainClasses(FineTuneJobReconciler.class);
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".status..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".dependent..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".dependent..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".status..")
                .check(classes);
    }
}
