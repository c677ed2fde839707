package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart's CRD is the one the operator's build generates from its Java types, unchanged. */
class CrdDriftTest {
    static final String FILE = "finetunejobs.dftune.io-v1.yml";

    @Test
    void theChartsCrdIsTheOperatorsGeneratedCrd() throws IOException {
        Path generated = Tools.OPERATOR.resolve("target/kubernetes").resolve(FILE);
        assertThat(generated)
                .as("the operator's generated CRD (mvn package -pl operator)")
                .isRegularFile();
        Path chart = Tools.CHART.resolve("crd").resolve(FILE);
        assertThat(Files.readString(chart))
                .as("helm/dftune/crd/%s drifted from the operator's; copy it: cp %s %s", FILE, generated, chart)
                .isEqualTo(Files.readString(generated));
    }
}
