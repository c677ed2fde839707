package io.dftune.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled example through the real command line: run (shortened), eval, generate. */
class ExampleJobTest {
    private static final Path EXAMPLE =
            Path.of("../../examples/arithmetic").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void exampleJobTrainsEvaluatesAndWritesAHuggingFaceModel() throws IOException {
        String job = Files.readString(EXAMPLE.resolve("job.yaml"))
                .replace("path: model", "path: " + EXAMPLE.resolve("model"))
                .replace("train: train.jsonl", "train: " + EXAMPLE.resolve("train.jsonl"))
                .replace("eval: eval.jsonl", "eval: " + EXAMPLE.resolve("eval.jsonl"))
                .replace("maxSteps: 150", "maxSteps: 4")
                .replace("evalEverySteps: 50", "evalEverySteps: 0, evalMaxExamples: 8");
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, job);

        CliRun run = CliRun.of("run", jobFile.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("eval before training")
                .contains("exact match")
                .contains("before      after");
        Path output = dir.resolve("output");
        assertThat(output.resolve("final/model.safetensors")).isRegularFile();
        assertThat(output.resolve("final/tokenizer.json")).isRegularFile();
        assertThat(output.resolve("final/config.json")).isRegularFile();
        List<String> metrics = Files.readAllLines(output.resolve("metrics.jsonl"));
        assertThat(metrics.stream().filter(l -> l.contains("\"type\":\"train\"")))
                .hasSize(4);
        assertThat(metrics.stream().filter(l -> l.contains("\"type\":\"eval\"")))
                .hasSize(2);
        JsonNode step = new ObjectMapper().readTree(metrics.get(1));
        for (String field : List.of(
                "step",
                "loss",
                "nll",
                "mean_target_prob",
                "low_prob_token_ratio",
                "learning_rate",
                "grad_norm",
                "tokens_per_second")) {
            assertThat(step.has(field)).as(field).isTrue();
        }

        CliRun eval = CliRun.of(
                "eval",
                "--model",
                output.resolve("final").toString(),
                "--data",
                EXAMPLE.resolve("eval.jsonl").toString(),
                "--max-examples",
                "4",
                "--max-new-tokens",
                "40");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(eval.lastOutLine());
        assertThat(result.get("tokens").asLong()).isPositive();
        assertThat(result.get("nll").asDouble()).isPositive();
        for (String field : List.of("dft_loss", "mean_target_prob", "token_accuracy", "exact_match")) {
            assertThat(result.has(field)).as(field).isTrue();
        }

        CliRun generate = CliRun.of(
                "generate",
                "--model",
                EXAMPLE.resolve("model").toString(),
                "--prompt",
                "What is 12 + 7?",
                "--max-new-tokens",
                "20");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).contains("####");
    }

    @Test
    void theClusterManifestAsKubectlPrintsItRunsLocallyWithAFolderPerClaim() throws IOException {
        String fromCluster = Files.readString(EXAMPLE.resolve("finetunejob.yaml"))
                        .replace(
                                "  namespace: default\n",
                                "  namespace: default\n  uid: 5e1c\n  generation: 3\n"
                                        + "  resourceVersion: \"812\"\n  creationTimestamp: \"2026-12-01T08:17:52Z\"\n"
                                        + "  finalizers: [finetunejobs.dftune.io/finalizer]\n")
                        .replace("maxSteps: 150", "maxSteps: 2\n    evalMaxExamples: 4")
                        .replace("maxNewTokens: 40", "maxNewTokens: 8")
                + "status:\n  phase: Running\n  observedGeneration: 3\n";
        Path jobFile = dir.resolve("from-cluster.yaml");
        Files.writeString(jobFile, fromCluster);

        CliRun run = CliRun.of(
                "run",
                jobFile.toString(),
                "--volume",
                "dftune-examples=" + EXAMPLE.getParent(),
                "--volume",
                "dftune-runs=" + dir.resolve("runs"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(dir.resolve("runs/arithmetic-dft/final/model.safetensors")).isRegularFile();
    }
}
