package io.dftune.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.spec.run.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory plan before anything loads: {@code dftune plan} prints it, and a run whose plan exceeds
 * the machine stops within seconds with DOES_NOT_FIT, before reading a weight (the model folder here
 * holds only Qwen2.5-7B's config.json: no weights, no tokenizer).
 */
class PlanCommandTest {
    private static final Path CONFIGS = Path.of("../engine/src/test/resources/hf-configs");

    @TempDir
    Path dir;

    private Path job(String adapter, String training) throws Exception {
        Path model = Files.createDirectories(dir.resolve("qwen7b"));
        Files.copy(CONFIGS.resolve("Qwen2.5-7B.json"), model.resolve("config.json"));
        Files.writeString(dir.resolve("train.jsonl"), "{\"prompt\": \"a\", \"response\": \"b\"}\n");
        return Files.writeString(
                dir.resolve("job.yaml"),
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                metadata: {name: big}
                spec:
                  model: {path: qwen7b}
                  data: {train: train.jsonl}
                  adapter: %s
                  training: %s
                  output: {path: out}
                """
                        .formatted(adapter, training));
    }

    @Test
    void aRunThatCannotFitStopsBeforeLoadingAndSaysWhatWouldFit() throws Exception {
        Path job = job("{type: none}", "{maxSteps: 10, batchSize: 4, maxLength: 1024}");
        CliRun run = CliRun.of("run", job.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.DOES_NOT_FIT);
        assertThat(run.err())
                .startsWith("dftune: the run does not fit: its memory plan peaks at ")
                .contains("adapter.type lora")
                .contains("training.precision bf16")
                .contains("training.gradientCheckpointing true");
        assertThat(run.out()).contains("memory plan: peak");
        assertThat(dir.resolve("out")).as("nothing was written").doesNotExist();
    }

    @Test
    void planPrintsThePlanAndEndsWithOneJsonObject() throws Exception {
        Path job = job(
                "{type: lora, rank: 16}",
                "{maxSteps: 10, batchSize: 1, maxLength: 512, precision: bf16," + " gradientCheckpointing: true}");
        CliRun run = CliRun.of("plan", job.toString(), "--gpu", "--memory", "80GB");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode last = new ObjectMapper().readTree(run.lastOutLine());
        assertThat(last.get("fits").asBoolean()).isTrue();
        assertThat(last.get("available_bytes").asLong()).isEqualTo(80_000_000_000L);
        assertThat(last.get("peak_bytes").asLong())
                .isEqualTo(last.get("parts").properties().stream()
                        .mapToLong(e -> e.getValue().asLong())
                        .sum());
        assertThat(last.get("precision").asText())
                .isEqualTo("bfloat16 frozen weights, bfloat16 matmuls (assumed for a GPU)");

        CliRun tooSmall = CliRun.of("plan", job.toString(), "--memory", "4GB");
        JsonNode refused = new ObjectMapper().readTree(tooSmall.lastOutLine());
        assertThat(refused.get("fits").asBoolean()).isFalse();
        assertThat(refused.get("precision").asText())
                .as("this machine's CPU measured")
                .matches("bfloat16 frozen weights, (bfloat16|float32) matmuls"
                        + " \\(a bfloat16 product ran \\d+\\.\\dx as fast as float32 here\\)");
        assertThat(tooSmall.out()).contains("the run does not fit");
    }
}
