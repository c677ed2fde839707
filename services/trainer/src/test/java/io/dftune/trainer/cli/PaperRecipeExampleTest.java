package io.dftune.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.spec.AnswerComparison;
import io.dftune.spec.AnswerExtraction;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.ObjectiveType;
import io.dftune.spec.Precision;
import io.dftune.spec.SpecValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * examples/paper-recipe: both FineTuneJobs validate as a cluster would take them, carry the
 * paper's recipe, and plan to fit one 80 GB GPU with Qwen2.5-Math-1.5B's real config.json.
 */
class PaperRecipeExampleTest {
    private static final Path RECIPE = Path.of("../../examples/paper-recipe");
    private static final Path CONFIGS = Path.of("../engine/src/test/resources/hf-configs");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"dft.yaml, DFT", "sft.yaml, SFT"})
    void validatesCarriesThePapersRecipeAndFitsOneEightyGigabyteGpu(String file, ObjectiveType objective)
            throws Exception {
        FineTuneJob job = FineTuneJobFiles.load(RECIPE.resolve(file));
        assertThat(SpecValidator.validateForCluster(job.getSpec())).isEmpty();
        var spec = job.getSpec();
        assertThat(spec.getObjective().getType()).isEqualTo(objective);
        assertThat(spec.getModel().getPath()).isEqualTo("pvc://models/Qwen2.5-Math-1.5B");
        assertThat(spec.getData().getTrain()).endsWith(".parquet");
        assertThat(spec.getData().getMaxExamples()).isEqualTo(100_000);
        assertThat(spec.getTraining().getBatchSize()).isEqualTo(256);
        assertThat(spec.getTraining().getMaxLength()).isEqualTo(2048);
        assertThat(spec.getTraining().getLearningRate()).isEqualTo(5e-5);
        assertThat(spec.getTraining().getPrecision()).isEqualTo(Precision.BF16);
        assertThat(spec.getEval().getSamples()).isEqualTo(16);
        assertThat(spec.getEval().getTemperature()).isEqualTo(1.0);
        assertThat(spec.getEval().getExtract()).isEqualTo(AnswerExtraction.BOXED);
        assertThat(spec.getEval().getCompare()).isEqualTo(AnswerComparison.MATH);

        Path model = Files.createDirectories(dir.resolve("models/Qwen2.5-Math-1.5B"));
        Files.copy(CONFIGS.resolve("Qwen2.5-Math-1.5B.json"), model.resolve("config.json"));
        CliRun plan = CliRun.of(
                "plan",
                RECIPE.resolve(file).toString(),
                "--gpu",
                "--memory",
                "80GB",
                "--volume",
                "models=" + dir.resolve("models"),
                "--volume",
                "runs=" + Files.createDirectories(dir.resolve("runs")));
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        JsonNode last = new ObjectMapper().readTree(plan.lastOutLine());
        assertThat(last.get("fits").asBoolean()).as(plan.out()).isTrue();
        assertThat(last.get("precision").asText())
                .isEqualTo("bfloat16 frozen weights, bfloat16 matmuls (assumed for a GPU)");
    }
}
