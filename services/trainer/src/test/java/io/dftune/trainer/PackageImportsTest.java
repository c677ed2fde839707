package io.dftune.trainer;

import io.dftune.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** The trainer's packages never import each other in a circle (its main classes; tests may reach anywhere). */
class PackageImportsTest {
    @Test
    void noPackagesImportEachOtherInACircle() {
        PackageCycles.assertNoneUnder(DftuneMain.class);
    }
}
