package io.dftune.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    @Test
    void aCycleThroughTheRootPackageFailsAndNamesItsClasses() {
        String root = "io.dftune.testing.cyclic";
        assertThatThrownBy(() -> PackageCycles.assertNoneIn(root, new ClassFileImporter().importPackages(root)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("io.dftune.testing.cyclic.a.Asks")
                .hasMessageContaining("io.dftune.testing.cyclic.b.Answers")
                .hasMessageContaining("io.dftune.testing.cyclic.Root");
    }

    @Test
    void layersThatImportDownwardsOnlyPass() {
        String root = "io.dftune.testing.layered";
        assertThatCode(() -> PackageCycles.assertNoneIn(root, new ClassFileImporter().importPackages(root)))
                .doesNotThrowAnyException();
    }

    @Test
    void aModulesMainClassesAreReadFromWhereItsRootClassWasLoaded() {
        // This module's main classes: PackageCycles only, whatever else the class path holds.
        assertThat(PackageCycles.mainClasses(PackageCycles.class))
                .extracting(c -> c.getName())
                .containsExactly(PackageCycles.class.getName());
    }

    @Test
    void noClassesIsAMistakeNotAPass() {
        assertThatThrownBy(() -> PackageCycles.assertNoneIn(
                        "io.dftune.nosuchpackage", new ClassFileImporter().importPackages("io.dftune.nosuchpackage")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no classes found under io.dftune.nosuchpackage");
    }
}
