package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuneJobFilesTest {
    @TempDir
    Path dir;

    private Path write(String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void loadsEveryFieldOfAFullManifest() throws IOException {
        FineTuneJob job = FineTuneJobFiles.load(write("job.yaml", TestSpecs.FULL_MANIFEST));

        assertThat(job.getApiVersion()).isEqualTo("dftune.io/v1alpha1");
        assertThat(job.getKind()).isEqualTo("FineTuneJob");
        assertThat(job.getMetadata().getName()).isEqualTo("demo");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(job.getMetadata().getLabels()).containsExactly(java.util.Map.entry("team", "nlp"));
        assertThat(job.getMetadata().getAnnotations()).containsEntry("note", "first run");
        FineTuneJobSpec spec = job.getSpec();
        assertThat(spec.getData().isShuffle()).isFalse();
        assertThat(spec.getData().getAnswerMarker()).isEqualTo("####");
        assertThat(spec.getData().getMaxExamples()).isEqualTo(1000);
        assertThat(spec.getData().getColumns())
                .containsExactly(java.util.Map.entry("prompt", "problem"), java.util.Map.entry("response", "solution"));
        ObjectiveSpec objective = spec.getObjective();
        assertThat(objective.getType()).isEqualTo(ObjectiveType.PROB_Q);
        assertThat(objective.getKlWeight()).isEqualTo(0.1);
        assertThat(objective.getQ()).isEqualTo(0.5);
        assertThat(objective.getBeta()).isEqualTo(0.7);
        assertThat(objective.isBetaRamp()).isTrue();
        TrainingSpec t = spec.getTraining();
        assertThat(t.getMaxSteps()).isEqualTo(200);
        assertThat(t.getEpochs()).isEqualTo(1);
        assertThat(t.getBatchSize()).isEqualTo(16);
        assertThat(t.getMicroBatchSize()).isEqualTo(8);
        assertThat(t.gradientAccumulationSteps()).isEqualTo(2);
        assertThat(t.getMaxLength()).isEqualTo(256);
        assertThat(t.getLearningRate()).isEqualTo(1e-4);
        assertThat(t.getSchedule()).isEqualTo(Schedule.LINEAR);
        assertThat(t.getWarmupRatio()).isEqualTo(0.05);
        assertThat(t.getWeightDecay()).isEqualTo(0.02);
        assertThat(t.getAdamBeta1()).isEqualTo(0.8);
        assertThat(t.getAdamBeta2()).isEqualTo(0.99);
        assertThat(t.getAdamEpsilon()).isEqualTo(1e-6);
        assertThat(t.getMaxGradNorm()).isEqualTo(0.5);
        assertThat(t.getSeed()).isEqualTo(7);
        assertThat(t.getEvalEverySteps()).isEqualTo(50);
        assertThat(t.getEvalMaxExamples()).isEqualTo(100);
        assertThat(t.isPacking()).isTrue();
        EvalSpec e = spec.getEval();
        assertThat(e.getMaxNewTokens()).isEqualTo(32);
        assertThat(e.getSamples()).isEqualTo(16);
        assertThat(e.getTemperature()).isEqualTo(0.7);
        assertThat(e.getTopP()).isEqualTo(0.95);
        assertThat(e.getSeed()).isEqualTo(3);
        assertThat(e.getExtract()).isEqualTo(AnswerExtraction.REGEX);
        assertThat(e.getPattern()).isEqualTo("answer is (-?[0-9]+)");
        assertThat(e.getCompare()).isEqualTo(AnswerComparison.MATH);
        assertThat(spec.getCheckpoint().getEverySteps()).isEqualTo(50);
        assertThat(spec.getCheckpoint().getKeep()).isEqualTo(3);
        assertThat(spec.getOutput().getDtype()).isEqualTo(OutputDtype.BFLOAT16);
        assertThat(spec.getOutput().getMaxShardSize()).isEqualTo("2GiB");
    }

    @Test
    void yamlRoundTripKeepsEveryValue() throws IOException {
        FineTuneJob job = FineTuneJobFiles.load(write("job.yaml", TestSpecs.FULL_MANIFEST));

        String yaml = FineTuneJobFiles.toYaml(job);
        FineTuneJob again = FineTuneJobFiles.parse(yaml, Path.of("/elsewhere"));

        assertThat(yaml).doesNotStartWith("---").contains("type: \"prob-q\"", "schedule: \"linear\"");
        assertThat(again).isEqualTo(job);
        assertThat(again).usingRecursiveComparison().isEqualTo(job);
    }

    @Test
    void jsonRoundTripKeepsEveryValue() throws IOException {
        FineTuneJob job = FineTuneJobFiles.load(write("job.yaml", TestSpecs.FULL_MANIFEST));

        String json = FineTuneJobFiles.toJson(job);

        assertThat(json).startsWith("{").contains("\"answerMarker\" : \"####\"");
        assertThat(FineTuneJobFiles.parse(json, dir)).usingRecursiveComparison().isEqualTo(job);
    }

    @Test
    void aSpecBuiltInCodeSerializesWithApiVersionAndKind() {
        FineTuneJob job = FineTuneJob.of("built", TestSpecs.valid());

        String yaml = FineTuneJobFiles.toYaml(job);

        assertThat(yaml)
                .contains("apiVersion: \"dftune.io/v1alpha1\"", "kind: \"FineTuneJob\"", "name: \"built\"")
                .doesNotContain("microBatchSize", "eval: \"");
        FineTuneJob again = FineTuneJobFiles.parse(yaml, dir);
        assertThat(again.getSpec()).isEqualTo(TestSpecs.valid().applyDefaults());
    }

    @Test
    void relativeLocalPathsResolveAgainstTheJobFileFolder() throws IOException {
        Path file = write(
                "jobs/demo/job.yaml",
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                spec:
                  model: {path: ./model}
                  data: {train: data/train.jsonl, eval: ../shared/eval.jsonl}
                  output: {path: out}
                """);

        FineTuneJobSpec spec = FineTuneJobFiles.load(file).getSpec();

        Path folder = dir.resolve("jobs/demo").toAbsolutePath();
        assertThat(spec.getModel().getPath()).isEqualTo(folder.resolve("model").toString());
        assertThat(spec.getData().getTrain())
                .isEqualTo(folder.resolve("data/train.jsonl").toString());
        assertThat(spec.getData().getEval())
                .isEqualTo(
                        dir.resolve("jobs/shared/eval.jsonl").toAbsolutePath().toString());
        assertThat(spec.getOutput().getPath()).isEqualTo(folder.resolve("out").toString());
    }

    @Test
    void absolutePathsStayAsWritten() throws IOException {
        Path file = write(
                "job.yaml",
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                spec:
                  model: {path: /models/../models/base}
                  data: {train: /data/train.jsonl}
                  output: {path: /runs/out}
                """);

        FineTuneJobSpec spec = FineTuneJobFiles.load(file).getSpec();

        assertThat(spec.getModel().getPath()).isEqualTo("/models/../models/base");
        assertThat(spec.getData().getTrain()).isEqualTo("/data/train.jsonl");
    }

    @Test
    void pvcPathsAreLeftUntouched() throws IOException {
        Path file = write(
                "job.yaml",
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                spec:
                  model: {path: "pvc://models/llama/base"}
                  data: {train: "pvc://datasets/gsm8k/train.jsonl", eval: "pvc://datasets/gsm8k/eval.jsonl"}
                  output: {path: "pvc://runs"}
                """);

        FineTuneJobSpec spec = FineTuneJobFiles.load(file).getSpec();

        assertThat(spec.getModel().getPath()).isEqualTo("pvc://models/llama/base");
        assertThat(spec.getData().getTrain()).isEqualTo("pvc://datasets/gsm8k/train.jsonl");
        assertThat(spec.getData().getEval()).isEqualTo("pvc://datasets/gsm8k/eval.jsonl");
        assertThat(spec.getOutput().getPath()).isEqualTo("pvc://runs");
    }

    @Test
    void parseResolvesAgainstTheGivenBaseDir() {
        String yaml = TestSpecs.MINIMAL_MANIFEST.replace("/models/base", "base-model");

        FineTuneJobSpec spec = FineTuneJobFiles.parse(yaml, dir).getSpec();

        assertThat(spec.getModel().getPath())
                .isEqualTo(dir.toAbsolutePath().resolve("base-model").toString());
    }

    @Test
    void missingFileIsReportedWithItsPath() {
        Path missing = dir.resolve("nope/job.yaml");

        assertThatThrownBy(() -> FineTuneJobFiles.load(missing))
                .isInstanceOf(ManifestException.class)
                .hasMessage("job file not found: " + missing);
    }

    @Test
    void unreadableFileIsReportedWithItsPath() {
        assertThatThrownBy(() -> FineTuneJobFiles.load(dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("cannot read job file " + dir + ":");
    }

    @Test
    void invalidSpecInAFileNamesTheFileAndEveryViolation() throws IOException {
        Path file = write(
                "bad.yaml",
                TestSpecs.MINIMAL_MANIFEST.replace(
                        "    path: /runs/out",
                        """
                    path: /runs/out
                  training:
                    batchSize: 0
                    learningRate: 2
                """));

        assertThatThrownBy(() -> FineTuneJobFiles.load(file))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.getViolations())
                        .extracting(Violation::field)
                        .containsExactly("spec.training.batchSize", "spec.training.learningRate"))
                .hasMessageStartingWith(file + ": invalid spec: spec.training.batchSize: must be >= 1");
    }
}
