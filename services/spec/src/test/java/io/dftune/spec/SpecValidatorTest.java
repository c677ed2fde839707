package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.ObjDoubleConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {
    private final FineTuneJobSpec spec = TestSpecs.valid();

    private TrainingSpec training() {
        return spec.getTraining();
    }

    /** The spec breaks exactly one rule, on this field, and the message says so. */
    private void assertOnlyViolation(String field, String messagePart) {
        List<Violation> violations = SpecValidator.validate(spec);
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).field()).isEqualTo(field);
        assertThat(violations.get(0).message()).contains(messagePart);
    }

    private void assertValid() {
        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    @Test
    void theBaseSpecAndTheFullExampleAreValid() {
        assertValid();
        FineTuneJobSpec full = FineTuneJobFiles.parse(TestSpecs.FULL_MANIFEST, java.nio.file.Path.of("/"))
                .getSpec();
        assertThat(SpecValidator.validate(full)).isEmpty();
    }

    @Test
    void nullSpecIsRequired() {
        assertThat(SpecValidator.validate(null)).containsExactly(new Violation("spec", "required"));
    }

    @Test
    void modelIsRequired() {
        spec.setModel(null);
        assertOnlyViolation("spec.model", "required");
    }

    @Test
    void modelPathIsRequired() {
        spec.getModel().setPath(null);
        assertOnlyViolation("spec.model.path", "required");
    }

    @Test
    void modelPathMustNotBeBlank() {
        spec.getModel().setPath("  ");
        assertOnlyViolation("spec.model.path", "must not be blank");
    }

    @Test
    void dataIsRequired() {
        spec.setData(null);
        assertOnlyViolation("spec.data", "required");
    }

    @Test
    void dataTrainIsRequired() {
        spec.getData().setTrain(null);
        assertOnlyViolation("spec.data.train", "required");
    }

    @Test
    void dataTrainMustNotBeBlank() {
        spec.getData().setTrain("");
        assertOnlyViolation("spec.data.train", "must not be blank");
    }

    @Test
    void dataEvalIsOptionalButNotBlank() {
        assertValid();
        spec.getData().setEval(" ");
        assertOnlyViolation("spec.data.eval", "must not be blank");
    }

    @Test
    void outputIsRequired() {
        spec.setOutput(null);
        assertOnlyViolation("spec.output", "required");
    }

    @Test
    void outputPathIsRequired() {
        spec.getOutput().setPath(null);
        assertOnlyViolation("spec.output.path", "required");
    }

    @Test
    void outputPathMustNotBeBlank() {
        spec.getOutput().setPath("\t");
        assertOnlyViolation("spec.output.path", "must not be blank");
    }

    @Test
    void maxShardSizeMustBeAHuggingFaceSize() {
        for (String valid : new String[] {"5GB", "500MB", "2GiB", "64KiB", "1000000"}) {
            spec.getOutput().setMaxShardSize(valid);
            assertValid();
        }
        spec.getOutput().setMaxShardSize("5 gigabytes");
        assertOnlyViolation("spec.output.maxShardSize", "must be a size such as 5GB, 500MB");
        spec.getOutput().setMaxShardSize("0MB");
        assertOnlyViolation("spec.output.maxShardSize", "must be greater than 0");
        spec.getOutput().setMaxShardSize(null);
        assertOnlyViolation("spec.output.maxShardSize", "required");
    }

    @Test
    void outputDtypeIsRequired() {
        spec.getOutput().setDtype(null);
        assertOnlyViolation("spec.output.dtype", "required");
    }

    @Test
    void pvcPathsWithAValidClaimAreAccepted() {
        spec.getModel().setPath("pvc://models/llama/base");
        spec.getData().setTrain("pvc://data.team-a/train.jsonl");
        spec.getOutput().setPath("pvc://runs");
        assertValid();
    }

    @Test
    void pvcPathWithABadClaimNamesTheClaim() {
        spec.getModel().setPath("pvc://My_Models/base");
        assertOnlyViolation(
                "spec.model.path", "claim name \"My_Models\" in \"pvc://My_Models/base\" is not a valid DNS-1123");
    }

    @Test
    void pvcPathWithoutAClaimIsRejected() {
        spec.getData().setTrain("pvc:///train.jsonl");
        assertOnlyViolation("spec.data.train", "pvc:// needs a claim name");
    }

    @Test
    void pvcPathMustNotLeaveTheClaim() {
        spec.getOutput().setPath("pvc://runs/a/../../other");
        assertOnlyViolation("spec.output.path", "must not contain '..'");
    }

    @Test
    void otherSchemesAreRejected() {
        spec.getData().setEval("s3://bucket/eval.jsonl");
        assertOnlyViolation("spec.data.eval", "unsupported scheme \"s3://\"; use a local path or pvc://<claim>/<path>");
    }

    @Test
    void pathsMustNotContainControlCharacters() {
        spec.getModel().setPath("/models/base\n");
        assertOnlyViolation("spec.model.path", "control characters");
    }

    @Test
    void maxStepsMustNotBeNegative() {
        training().setMaxSteps(-1);
        assertOnlyViolation("spec.training.maxSteps", "must be >= 0 (got -1)");
    }

    @Test
    void epochsMustNotBeNegative() {
        training().setMaxSteps(100);
        training().setEpochs(-2);
        assertOnlyViolation("spec.training.epochs", "must be >= 0 (got -2)");
    }

    @Test
    void maxStepsAndEpochsMustNotBothBeZero() {
        training().setMaxSteps(0);
        training().setEpochs(0);
        assertOnlyViolation("spec.training.epochs", "must be >= 1 when maxSteps is 0");
    }

    @Test
    void maxStepsAloneIsEnough() {
        training().setMaxSteps(100);
        training().setEpochs(0);
        assertValid();
    }

    @Test
    void batchSizeMustBePositive() {
        training().setBatchSize(0);
        assertOnlyViolation("spec.training.batchSize", "must be >= 1 (got 0)");
    }

    @Test
    void microBatchSizeMustBePositive() {
        training().setMicroBatchSize(0);
        assertOnlyViolation("spec.training.microBatchSize", "must be >= 1 (got 0)");
    }

    @Test
    void microBatchSizeMustNotExceedBatchSize() {
        training().setBatchSize(8);
        training().setMicroBatchSize(16);
        assertOnlyViolation("spec.training.microBatchSize", "must be <= batchSize 8 (got 16)");
    }

    @Test
    void microBatchSizeMustDivideBatchSize() {
        training().setBatchSize(12);
        training().setMicroBatchSize(5);
        assertOnlyViolation("spec.training.microBatchSize", "must divide batchSize 12 (got 5)");
        training().setMicroBatchSize(4);
        assertValid();
    }

    @Test
    void maxLengthHasALowerBound() {
        training().setMaxLength(7);
        assertOnlyViolation("spec.training.maxLength", "must be between 8 and 1048576 (got 7)");
        training().setMaxLength(8);
        assertValid();
    }

    @Test
    void maxLengthHasAnUpperBound() {
        training().setMaxLength(1_048_577);
        assertOnlyViolation("spec.training.maxLength", "must be between 8 and 1048576");
        training().setMaxLength(1_048_576);
        assertValid();
    }

    @Test
    void learningRateMustBePositive() {
        training().setLearningRate(0);
        assertOnlyViolation("spec.training.learningRate", "must be > 0 and <= 1 (got 0)");
    }

    @Test
    void learningRateMustBeAtMostOne() {
        training().setLearningRate(1.5);
        assertOnlyViolation("spec.training.learningRate", "must be > 0 and <= 1 (got 1.5)");
        training().setLearningRate(1);
        assertValid();
    }

    @Test
    void scheduleIsRequired() {
        training().setSchedule(null);
        assertOnlyViolation("spec.training.schedule", "required");
    }

    @Test
    void warmupRatioMustNotBeNegative() {
        training().setWarmupRatio(-0.1);
        assertOnlyViolation("spec.training.warmupRatio", "must be >= 0 and < 1");
        training().setWarmupRatio(0);
        assertValid();
    }

    @Test
    void warmupRatioMustBeBelowOne() {
        training().setWarmupRatio(1.0);
        assertOnlyViolation("spec.training.warmupRatio", "must be >= 0 and < 1 (got 1)");
    }

    @Test
    void weightDecayMustNotBeNegative() {
        training().setWeightDecay(-0.01);
        assertOnlyViolation("spec.training.weightDecay", "must be >= 0 (got -0.01)");
    }

    @Test
    void adamBeta1MustBeInZeroToOne() {
        training().setAdamBeta1(1.0);
        assertOnlyViolation("spec.training.adamBeta1", "must be >= 0 and < 1");
        training().setAdamBeta1(-0.1);
        assertOnlyViolation("spec.training.adamBeta1", "must be >= 0 and < 1");
    }

    @Test
    void adamBeta2MustBeInZeroToOne() {
        training().setAdamBeta2(1.0);
        assertOnlyViolation("spec.training.adamBeta2", "must be >= 0 and < 1");
    }

    @Test
    void adamEpsilonMustBePositive() {
        training().setAdamEpsilon(0);
        assertOnlyViolation("spec.training.adamEpsilon", "must be > 0 (got 0)");
    }

    @Test
    void maxGradNormMustNotBeNegativeAndZeroDisablesClipping() {
        training().setMaxGradNorm(-1);
        assertOnlyViolation("spec.training.maxGradNorm", "must be >= 0");
        training().setMaxGradNorm(0);
        assertValid();
    }

    @Test
    void evalEveryStepsMustNotBeNegative() {
        training().setEvalEverySteps(-1);
        assertOnlyViolation("spec.training.evalEverySteps", "must be >= 0");
    }

    @Test
    void evalMaxNewTokensMustBePositive() {
        spec.getEval().setMaxNewTokens(0);
        assertOnlyViolation("spec.eval.maxNewTokens", "must be >= 1 (got 0)");
    }

    @Test
    void evalSamplesMustNotBeNegativeAndZeroMeansGreedyOnly() {
        spec.getEval().setSamples(-1);
        assertOnlyViolation("spec.eval.samples", "must be >= 0 (got -1)");
        spec.getEval().setSamples(0);
        assertValid();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void evalTemperatureMustBePositiveAndFinite(double temperature) {
        spec.getEval().setTemperature(temperature);
        assertOnlyViolation("spec.eval.temperature", Double.isFinite(temperature) ? "must be > 0" : "finite");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1, 1.01})
    void evalTopPMustBeAProbabilityAboveZero(double topP) {
        spec.getEval().setTopP(topP);
        assertOnlyViolation("spec.eval.topP", "must be > 0 and <= 1");
    }

    @Test
    void evalExtractAndCompareAreRequired() {
        spec.getEval().setExtract(null);
        assertOnlyViolation("spec.eval.extract", "required");
        spec.getEval().setExtract(AnswerExtraction.BOXED);
        spec.getEval().setCompare(null);
        assertOnlyViolation("spec.eval.compare", "required");
    }

    @Test
    void regexExtractionNeedsAPattern() {
        spec.getEval().setExtract(AnswerExtraction.REGEX);
        assertOnlyViolation("spec.eval.pattern", "required with extract regex");
        spec.getEval().setPattern("answer: (\\d+)");
        assertValid();
    }

    @Test
    void anEvalPatternMustCompile() {
        spec.getEval().setExtract(AnswerExtraction.REGEX);
        spec.getEval().setPattern("answer: (\\d+");
        assertOnlyViolation("spec.eval.pattern", "is not a valid regular expression: Unclosed group");
    }

    @Test
    void evalMaxExamplesMustNotBeNegative() {
        training().setEvalMaxExamples(-5);
        assertOnlyViolation("spec.training.evalMaxExamples", "must be >= 0 (got -5)");
    }

    @Test
    void dataMaxExamplesMustNotBeNegative() {
        spec.getData().setMaxExamples(-1);
        assertOnlyViolation("spec.data.maxExamples", "must be >= 0 (got -1)");
    }

    @Test
    void dataColumnsMapKnownNamesOfOneLayout() {
        spec.getData().setColumns(java.util.Map.of("prompt", "problem", "response", "solution", "answer", "final"));
        assertValid();
        spec.getData().setColumns(java.util.Map.of("messages", "conversations", "system", "sys", "tools", "functions"));
        assertValid();
    }

    @Test
    void dataColumnsRejectUnknownNames() {
        spec.getData().setColumns(java.util.Map.of("promt", "problem"));
        assertOnlyViolation("spec.data.columns.promt", "unknown name \"promt\"; dftune's names are prompt, query,");
    }

    @Test
    void dataColumnsRejectBlankColumns() {
        java.util.Map<String, String> columns = new java.util.HashMap<>();
        columns.put("response", " ");
        spec.getData().setColumns(columns);
        assertOnlyViolation("spec.data.columns.response", "must name a column");
    }

    @Test
    void dataColumnsRejectTwoNamesOnOneColumn() {
        java.util.Map<String, String> columns = new java.util.LinkedHashMap<>();
        columns.put("prompt", "text");
        columns.put("response", "text");
        spec.getData().setColumns(columns);
        assertOnlyViolation("spec.data.columns.response", "maps to column \"text\" as spec.data.columns.prompt does");
    }

    @Test
    void dataColumnsRejectMixedLayouts() {
        java.util.Map<String, String> columns = new java.util.LinkedHashMap<>();
        columns.put("prompt", "problem");
        columns.put("messages", "chat");
        spec.getData().setColumns(columns);
        assertOnlyViolation(
                "spec.data.columns", "different record layouts: prompt (prompt/response), messages (messages)");
    }

    @Test
    void checkpointEveryStepsMustNotBeNegative() {
        spec.getCheckpoint().setEverySteps(-1);
        assertOnlyViolation("spec.checkpoint.everySteps", "must be >= 0");
    }

    @Test
    void checkpointKeepMustBePositive() {
        spec.getCheckpoint().setKeep(0);
        assertOnlyViolation("spec.checkpoint.keep", "must be >= 1 (got 0)");
    }

    @Test
    void objectiveTypeIsRequired() {
        spec.getObjective().setType(null);
        assertOnlyViolation("spec.objective.type", "required");
    }

    @Test
    void klWeightMustNotBeNegative() {
        spec.getObjective().setKlWeight(-0.05);
        assertOnlyViolation("spec.objective.klWeight", "must be >= 0");
    }

    @Test
    void qMustBePositive() {
        spec.getObjective().setQ(0);
        assertOnlyViolation("spec.objective.q", "must be > 0 and <= 1");
    }

    @Test
    void qMustBeAtMostOne() {
        spec.getObjective().setQ(1.01);
        assertOnlyViolation("spec.objective.q", "must be > 0 and <= 1 (got 1.01)");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.1})
    void betaMustBeWithinZeroAndOne(double beta) {
        spec.getObjective().setBeta(beta);
        assertOnlyViolation("spec.objective.beta", "must be >= 0 and <= 1");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0})
    void betaBoundsAreInclusive(double beta) {
        spec.getObjective().setBeta(beta);
        assertValid();
    }

    static Stream<Arguments> doubleFields() {
        return Stream.of(
                        field("spec.training.learningRate", (s, v) -> s.getTraining()
                                .setLearningRate(v)),
                        field("spec.training.warmupRatio", (s, v) -> s.getTraining()
                                .setWarmupRatio(v)),
                        field("spec.training.weightDecay", (s, v) -> s.getTraining()
                                .setWeightDecay(v)),
                        field("spec.training.adamBeta1", (s, v) -> s.getTraining()
                                .setAdamBeta1(v)),
                        field("spec.training.adamBeta2", (s, v) -> s.getTraining()
                                .setAdamBeta2(v)),
                        field("spec.training.adamEpsilon", (s, v) -> s.getTraining()
                                .setAdamEpsilon(v)),
                        field("spec.training.maxGradNorm", (s, v) -> s.getTraining()
                                .setMaxGradNorm(v)),
                        field("spec.objective.klWeight", (s, v) -> s.getObjective()
                                .setKlWeight(v)),
                        field("spec.objective.q", (s, v) -> s.getObjective().setQ(v)),
                        field("spec.objective.beta", (s, v) -> s.getObjective().setBeta(v)))
                .flatMap(a -> Stream.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
                        .map(value -> Arguments.of(a.get()[0], a.get()[1], value)));
    }

    private static Arguments field(String name, ObjDoubleConsumer<FineTuneJobSpec> setter) {
        return Arguments.of(name, setter);
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("doubleFields")
    void nonFiniteNumbersAreRejectedNamingTheField(
            String field, ObjDoubleConsumer<FineTuneJobSpec> setter, double value) {
        setter.accept(spec, value);
        assertOnlyViolation(field, "must be a finite number (got " + value + ")");
    }

    @Test
    void nullSectionsCountAsTheirDefaults() {
        spec.setObjective(null);
        spec.setTraining(null);
        spec.setCheckpoint(null);
        assertValid();
    }

    @Test
    void everyViolationIsReportedAndTheSpecIsNotModified() {
        training().setBatchSize(0);
        spec.getCheckpoint().setKeep(0);
        spec.getOutput().setPath(null);

        assertThat(SpecValidator.validate(spec))
                .extracting(Violation::field)
                .containsExactly("spec.training.batchSize", "spec.checkpoint.keep", "spec.output.path");
        assertThat(training().getMicroBatchSize()).isNull();
    }

    @Test
    void validateOrThrowListsEveryViolation() {
        training().setBatchSize(0);
        spec.getObjective().setQ(2);

        assertThatThrownBy(() -> SpecValidator.validateOrThrow(spec))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.getViolations())
                        .hasSize(2))
                .hasMessage("invalid spec: spec.objective.q: must be > 0 and <= 1 (got 2); "
                        + "spec.training.batchSize: must be >= 1 (got 0)");
    }

    @Test
    void validateOrThrowReturnsAValidSpec() {
        assertThat(SpecValidator.validateOrThrow(spec)).isSameAs(spec);
    }
}
