package io.dftune.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.spec.ObjectiveType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentPlanTest {
    private static final String VALID =
            """
            job: job.yaml
            validation: val.jsonl
            learningRates: [1.0e-4, 3.0e-4]
            seeds: [1, 2]
            arms:
              - name: sft
                objective: {type: sft}
              - name: dft-terse
                objective: {type: dft}
                train: terse.jsonl
            tests:
              in-distribution: val.jsonl
            output: out
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        for (String name : new String[] {"job.yaml", "val.jsonl", "terse.jsonl"}) {
            Files.writeString(dir.resolve(name), "");
        }
    }

    @Test
    void loadsAndResolvesPathsAgainstTheFilesFolder() throws IOException {
        ExperimentPlan plan = ExperimentPlan.load(write(VALID));

        assertThat(plan.job()).isEqualTo(dir.resolve("job.yaml"));
        assertThat(plan.learningRates()).containsExactly(1.0e-4, 3.0e-4);
        assertThat(plan.arms()).extracting(ExperimentPlan.Arm::name).containsExactly("sft", "dft-terse");
        assertThat(plan.arms().get(0).objective().getType()).isEqualTo(ObjectiveType.SFT);
        assertThat(plan.arms().get(0).train()).isNull();
        assertThat(plan.arms().get(1).train()).isEqualTo(dir.resolve("terse.jsonl"));
        assertThat(plan.output()).isEqualTo(dir.resolve("out"));
    }

    @Test
    void anUnknownFieldIsNamedWithItsLine() throws IOException {
        Path file = write(VALID.replace("seeds: [1, 2]", "seeds: [1, 2]\nsteps: 3"));

        assertThatThrownBy(() -> ExperimentPlan.load(file))
                .isInstanceOf(ExperimentPlanException.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("steps");
    }

    @Test
    void aMissingFileNamesTheField() throws IOException {
        Path file = write(VALID.replace("train: terse.jsonl", "train: missing.jsonl"));

        assertThatThrownBy(() -> ExperimentPlan.load(file))
                .hasMessageContaining("arms[1].train")
                .hasMessageContaining("missing.jsonl");
    }

    @Test
    void aNonPositiveLearningRateNamesItsIndex() throws IOException {
        Path file = write(VALID.replace("[1.0e-4, 3.0e-4]", "[1.0e-4, 0]"));

        assertThatThrownBy(() -> ExperimentPlan.load(file)).hasMessageContaining("learningRates[1]: must be > 0");
    }

    @Test
    void armNamesAreUniqueFolderNames() throws IOException {
        assertThatThrownBy(() -> ExperimentPlan.load(write(VALID.replace("name: dft-terse", "name: sft"))))
                .hasMessageContaining("arms[1].name: 'sft' is used twice");
        assertThatThrownBy(() -> ExperimentPlan.load(write(VALID.replace("name: dft-terse", "name: ../x"))))
                .hasMessageContaining("arms[1].name");
    }

    @Test
    void anUnknownObjectiveListsTheAllowedOnes() throws IOException {
        Path file = write(VALID.replace("type: sft", "type: ppo"));

        assertThatThrownBy(() -> ExperimentPlan.load(file))
                .hasMessageContaining("arms[0].objective.type")
                .hasMessageContaining("dft");
    }

    @Test
    void emptyListsAreRejected() throws IOException {
        assertThatThrownBy(() -> ExperimentPlan.load(write(VALID.replace("seeds: [1, 2]", "seeds: []"))))
                .hasMessageContaining("seeds: is required");
        assertThatThrownBy(() -> ExperimentPlan.load(write(VALID.replace("seeds: [1, 2]", "seeds: [1, 1]"))))
                .hasMessageContaining("seeds: must not repeat");
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("experiment.yaml"), text);
    }
}
