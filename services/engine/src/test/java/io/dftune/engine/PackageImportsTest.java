package io.dftune.engine;

import io.dftune.engine.train.RunLauncher;
import io.dftune.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** The engine's packages never import each other in a circle (its main classes; tests may reach anywhere). */
class PackageImportsTest {
    @Test
    void noPackagesImportEachOtherInACircle() {
        PackageCycles.assertNoneUnder("io.dftune.engine", RunLauncher.class);
    }
}
