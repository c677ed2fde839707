package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.Default;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultsTest {
    private static final List<Object> DEFAULTED_SECTIONS = List.of(
            new DataSpec(),
            new ObjectiveSpec(),
            new TrainingSpec(),
            new EvalSpec(),
            new CheckpointSpec(),
            new AdapterSpec(),
            new OutputSpec());

    @Test
    void aMinimalManifestReadsFullyDefaultedThroughPlainGetters() {
        FineTuneJobSpec spec =
                FineTuneJobFiles.parse(TestSpecs.MINIMAL_MANIFEST, Path.of("/")).getSpec();

        assertThat(spec.getData().getEval()).isNull();
        assertThat(spec.getData().isShuffle()).isTrue();
        assertThat(spec.getData().getAnswerMarker()).isEqualTo("####");
        assertThat(spec.getData().getMaxExamples()).isZero();
        assertThat(spec.getData().getColumns()).isNull();
        ObjectiveSpec o = spec.getObjective();
        assertThat(o.getType()).isEqualTo(ObjectiveType.DFT);
        assertThat(o.getKlWeight()).isEqualTo(0.05);
        assertThat(o.getQ()).isEqualTo(1.0);
        assertThat(o.getBeta()).isEqualTo(1.0);
        assertThat(o.isBetaRamp()).isFalse();
        TrainingSpec t = spec.getTraining();
        assertThat(t.getMaxSteps()).isZero();
        assertThat(t.getEpochs()).isEqualTo(1);
        assertThat(t.getBatchSize()).isEqualTo(8);
        assertThat(t.getMicroBatchSize()).isEqualTo(8);
        assertThat(t.getMaxLength()).isEqualTo(512);
        assertThat(t.getLearningRate()).isEqualTo(5e-5);
        assertThat(t.getSchedule()).isEqualTo(Schedule.COSINE);
        assertThat(t.getWarmupRatio()).isEqualTo(0.1);
        assertThat(t.getWeightDecay()).isEqualTo(0.01);
        assertThat(t.getAdamBeta1()).isEqualTo(0.9);
        assertThat(t.getAdamBeta2()).isEqualTo(0.95);
        assertThat(t.getAdamEpsilon()).isEqualTo(1e-8);
        assertThat(t.getMaxGradNorm()).isEqualTo(1.0);
        assertThat(t.getSeed()).isEqualTo(42);
        assertThat(t.getEvalEverySteps()).isZero();
        assertThat(t.getEvalMaxExamples()).isZero();
        assertThat(t.isPacking()).isFalse();
        EvalSpec e = spec.getEval();
        assertThat(e.getMaxNewTokens()).isEqualTo(64);
        assertThat(e.getSamples()).isZero();
        assertThat(e.getTemperature()).isEqualTo(1.0);
        assertThat(e.getTopP()).isEqualTo(1.0);
        assertThat(e.getSeed()).isZero();
        assertThat(e.getExtract()).isEqualTo(AnswerExtraction.MARKER);
        assertThat(e.getPattern()).isNull();
        assertThat(e.getCompare()).isEqualTo(AnswerComparison.EXACT);
        assertThat(spec.getCheckpoint().getEverySteps()).isZero();
        assertThat(spec.getCheckpoint().getKeep()).isEqualTo(2);
        assertThat(spec.getOutput().getDtype()).isEqualTo(OutputDtype.AUTO);
        assertThat(spec.getOutput().getMaxShardSize()).isEqualTo("5GB");
        assertThat(spec.getOutput().maxShardBytes()).isEqualTo(5_000_000_000L);
    }

    @Test
    void unsetMicroBatchSizeFollowsBatchSize() {
        String yaml = TestSpecs.MINIMAL_MANIFEST + "  training: {batchSize: 32}\n";

        TrainingSpec t = FineTuneJobFiles.parse(yaml, Path.of("/")).getSpec().getTraining();

        assertThat(t.getMicroBatchSize()).isEqualTo(32);
        assertThat(t.gradientAccumulationSteps()).isEqualTo(1);
    }

    @Test
    void effectiveMicroBatchSizeWorksBeforeDefaultsAreApplied() {
        TrainingSpec t = new TrainingSpec();
        t.setBatchSize(12);

        assertThat(t.getMicroBatchSize()).isNull();
        assertThat(t.effectiveMicroBatchSize()).isEqualTo(12);
        t.setMicroBatchSize(4);
        assertThat(t.effectiveMicroBatchSize()).isEqualTo(4);
        assertThat(t.applyDefaults().getMicroBatchSize()).isEqualTo(4);
    }

    @Test
    void explicitNullsMeanTheDefault() {
        String yaml = TestSpecs.MINIMAL_MANIFEST
                + """
                  objective:
                  training:
                    batchSize: ~
                    microBatchSize: null
                """;

        FineTuneJobSpec spec = FineTuneJobFiles.parse(yaml, Path.of("/")).getSpec();

        assertThat(spec.getObjective().getType()).isEqualTo(ObjectiveType.DFT);
        assertThat(spec.getTraining().getBatchSize()).isEqualTo(8);
        assertThat(spec.getTraining().getMicroBatchSize()).isEqualTo(8);
    }

    @Test
    void applyDefaultsRestoresNulledSections() {
        FineTuneJobSpec spec = TestSpecs.valid();
        spec.setObjective(null);
        spec.setTraining(null);
        spec.setEval(null);
        spec.setCheckpoint(null);

        spec.applyDefaults();

        assertThat(spec.getEval()).isEqualTo(new EvalSpec());
        assertThat(spec.getObjective()).isEqualTo(new ObjectiveSpec());
        assertThat(spec.getTraining()).isEqualTo(new TrainingSpec().applyDefaults());
        assertThat(spec.getCheckpoint()).isEqualTo(new CheckpointSpec());
    }

    /** The CRD's defaults come from @Default; they must say what the Java field initialisers say. */
    @Test
    void schemaDefaultsMatchJavaDefaults() throws IllegalAccessException {
        int checked = 0;
        for (Object section : DEFAULTED_SECTIONS) {
            for (Field field : section.getClass().getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value = field.get(section);
                Default schemaDefault = field.getAnnotation(Default.class);
                if (value == null) {
                    assertThat(schemaDefault).as(field.toString()).isNull();
                    continue;
                }
                assertThat(schemaDefault).as("@Default on " + field).isNotNull();
                String expected = value instanceof Enum<?>
                        ? SpecMapper.JSON.convertValue(value, String.class)
                        : String.valueOf(value);
                assertThat(schemaDefault.value()).as(field.toString()).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(42);
    }
}
