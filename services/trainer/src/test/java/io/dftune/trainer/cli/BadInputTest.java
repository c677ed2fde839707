package io.dftune.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.spec.run.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input ends the command with exit 1 and a one-line cause that names the culprit. */
class BadInputTest {
    private static final Path EXAMPLE =
            Path.of("../../examples/arithmetic").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path job(String objective, String model, String train, String extraTraining) throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(
                file,
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                metadata: {name: bad}
                spec:
                  model: {path: %s}
                  data: {train: %s}
                  objective: {type: %s}
                  training: {maxSteps: 1, batchSize: 2, maxLength: 64%s}
                  output: {path: out}
                """
                        .formatted(model, train, objective, extraTraining));
        return file;
    }

    private static void assertFailsNaming(CliRun run, String... parts) {
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err().strip()).startsWith("dftune: ").doesNotContain("\n\tat ");
        for (String part : parts) {
            assertThat(run.err()).contains(part);
        }
    }

    @Test
    void missingJobFile() {
        assertFailsNaming(CliRun.of("run", dir.resolve("nope.yaml").toString()), "nope.yaml");
    }

    @Test
    void unknownFieldNamesFieldAndLine() throws IOException {
        Path file = job(
                "dft",
                EXAMPLE.resolve("model").toString(),
                EXAMPLE.resolve("train.jsonl").toString(),
                ", learningRat: 0.1");
        assertFailsNaming(CliRun.of("run", file.toString()), "spec.training.learningRat", "line 8");
    }

    @Test
    void unknownObjectiveNamesAllowedValues() throws IOException {
        Path file = job(
                "dtf",
                EXAMPLE.resolve("model").toString(),
                EXAMPLE.resolve("train.jsonl").toString(),
                "");
        assertFailsNaming(CliRun.of("run", file.toString()), "spec.objective.type", "sft", "dft");
    }

    @Test
    void missingModelDirectory() throws IOException {
        Path file = job(
                "dft",
                dir.resolve("no-model").toString(),
                EXAMPLE.resolve("train.jsonl").toString(),
                "");
        assertFailsNaming(CliRun.of("run", file.toString()), "no-model");
    }

    @Test
    void malformedDataLineNamesFileAndLine() throws IOException {
        Path data = dir.resolve("broken.jsonl");
        Files.writeString(data, "{\"prompt\": \"a\", \"response\": \"b\"}\n{\"prompt\": \"a\", \"response\": \n");
        Path file = job("dft", EXAMPLE.resolve("model").toString(), data.toString(), "");
        assertFailsNaming(CliRun.of("run", file.toString()), "broken.jsonl", "line 2");
    }

    @Test
    void allResponsesTruncatedAway() throws IOException {
        Path data = dir.resolve("long.jsonl");
        Files.writeString(data, "{\"prompt\": \"" + "x".repeat(400) + "\", \"response\": \"y\"}\n");
        Path file = job("dft", EXAMPLE.resolve("model").toString(), data.toString(), "");
        assertFailsNaming(CliRun.of("run", file.toString()), "long.jsonl", "skipped");
    }

    @Test
    void configThatDoesNotMatchTheWeightsNamesTensorAndShapes() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        try (var files = Files.list(EXAMPLE.resolve("model"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        String config = Files.readString(model.resolve("config.json"));
        Files.writeString(
                model.resolve("config.json"),
                config.replaceFirst("\"intermediate_size\"\\s*:\\s*\\d+", "\"intermediate_size\": 100"));
        Path file = job("dft", model.toString(), EXAMPLE.resolve("train.jsonl").toString(), "");
        assertFailsNaming(CliRun.of("run", file.toString()), "mlp.gate_proj.weight", "100");
    }

    @Test
    void unsupportedArchitecture() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        Files.copy(EXAMPLE.resolve("model/tokenizer.json"), model.resolve("tokenizer.json"));
        Files.copy(EXAMPLE.resolve("model/tokenizer_config.json"), model.resolve("tokenizer_config.json"));
        Files.writeString(
                model.resolve("config.json"),
                "{\"architectures\": [\"Gemma2ForCausalLM\"], \"model_type\": \"gemma2\"}");
        assertFailsNaming(CliRun.of("generate", "--model", model.toString(), "--prompt", "hi"), "Gemma2ForCausalLM");
    }

    @Test
    void aPvcPathWithoutAVolumeNamesTheClaim() throws IOException {
        Path file = job(
                "dft", "pvc://models/arithmetic", EXAMPLE.resolve("train.jsonl").toString(), "");
        assertFailsNaming(
                CliRun.of("run", file.toString(), "--volume", "data=" + dir), "spec.model.path", "--volume models=DIR");
    }
}
