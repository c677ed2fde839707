package io.dftune.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.testing.ClusterObjects;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.proto.v1.Checkpoint;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.MemoryPlan;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.TrainMetrics;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link StatusMapping#merge}: the trainer's report in the status' terms, one row per kind of report. */
class StatusMappingTest {
    private static final Instant AT = ClusterObjects.T0;

    private static RunSnapshot run(Phase phase, long step, long total, Double eta) {
        return new RunSnapshot("pod", phase, step, total, eta, null, null, null, null, 0, null, null, null, null, AT);
    }

    /** Training at step 5 of 10, the checkpoint step-5 written at {@code path} (inside the pod). */
    private static RunSnapshot checkpointAt(String path) {
        Checkpoint checkpoint = Checkpoint.newBuilder()
                .setName("step-5")
                .setStep(5)
                .setPath(path)
                .build();
        return new RunSnapshot(
                "pod", Phase.PHASE_TRAINING, 5, 10, null, null, null, null, checkpoint, 0, null, null, null, null, AT);
    }

    private static Arguments row(String name, RunSnapshot run, Consumer<FineTuneJobStatus> expect) {
        return Arguments.of(name, run, expect);
    }

    static Stream<Arguments> reports() {
        return Stream.of(
                row("nothing reported yet", run(Phase.PHASE_UNSPECIFIED, 3, 10, 5.0), s -> {
                    assertThat(s.trainerPhase).isNull();
                    assertThat(s.progress).isNull();
                }),
                row("idle trainer", run(Phase.PHASE_IDLE, 0, 10, null), s -> {
                    assertThat(s.trainerPhase).isNull();
                    assertThat(s.progress).isNull();
                }),
                row("loading: no total yet", run(Phase.PHASE_LOADING, 0, 0, null), s -> {
                    assertThat(s.trainerPhase).isEqualTo("LOADING");
                    assertThat(s.progress).isNull();
                }),
                row("training half way", run(Phase.PHASE_TRAINING, 5, 10, 12.4), s -> {
                    assertThat(s.trainerPhase).isEqualTo("TRAINING");
                    assertThat(s.progress.step).isEqualTo(5);
                    assertThat(s.progress.totalSteps).isEqualTo(10);
                    assertThat(s.progress.percent).isEqualTo(50);
                    assertThat(s.progress.etaSeconds).isEqualTo(12);
                    assertThat(s.progress.eta).isEqualTo(AT.plusSeconds(12).toString());
                }),
                row("percent rounds down", run(Phase.PHASE_TRAINING, 2, 3, 1.0), s -> assertThat(s.progress.percent)
                        .isEqualTo(66)),
                row("no estimate yet", run(Phase.PHASE_TRAINING, 1, 10, null), s -> {
                    assertThat(s.progress.percent).isEqualTo(10);
                    assertThat(s.progress.etaSeconds).isNull();
                    assertThat(s.progress.eta).isNull();
                }),
                row("all steps done, evaluating", run(Phase.PHASE_EVALUATING, 10, 10, 0.0), s -> {
                    assertThat(s.progress.percent).isEqualTo(100);
                    assertThat(s.progress.etaSeconds).isNull();
                }),
                row("succeeded: no estimate", run(Phase.PHASE_SUCCEEDED, 9, 10, 3.0), s -> {
                    assertThat(s.trainerPhase).isEqualTo("SUCCEEDED");
                    assertThat(s.progress.etaSeconds).isNull();
                }),
                row("beyond the total: 100 at most", run(Phase.PHASE_TRAINING, 12, 10, 1.0), s -> assertThat(
                                s.progress.percent)
                        .isEqualTo(100)),
                row(
                        "resumed from a checkpoint",
                        new RunSnapshot(
                                "pod",
                                Phase.PHASE_TRAINING,
                                6,
                                10,
                                null,
                                null,
                                null,
                                null,
                                null,
                                5,
                                null,
                                null,
                                null,
                                null,
                                AT),
                        s -> assertThat(s.resumedFromStep).isEqualTo(5)),
                row(
                        "a checkpoint: its path as the spec names it",
                        checkpointAt("/mnt/pvc/runs/ftj/checkpoints/step-5"),
                        s -> {
                            assertThat(s.checkpoint.name).isEqualTo("step-5");
                            assertThat(s.checkpoint.step).isEqualTo(5);
                            assertThat(s.checkpoint.path).isEqualTo("pvc://runs/ftj/checkpoints/step-5");
                        }),
                row(
                        "the memory plan",
                        new RunSnapshot(
                                "pod",
                                Phase.PHASE_LOADING,
                                0,
                                0,
                                null,
                                null,
                                null,
                                null,
                                null,
                                0,
                                null,
                                null,
                                MemoryPlan.newBuilder()
                                        .setPeakBytes(7_332_592_640L)
                                        .setAvailableBytes(25_276_157_952L)
                                        .setFits(true)
                                        .setPrecision("bfloat16 frozen weights, float32 matmuls")
                                        .setSummary("memory plan: peak 6.8 GiB of 23.5 GiB available")
                                        .setWeightsBytes(3_161_287_680L)
                                        .build(),
                                null,
                                AT),
                        s -> {
                            assertThat(s.memoryPlan.peakBytes).isEqualTo(7_332_592_640L);
                            assertThat(s.memoryPlan.availableBytes).isEqualTo(25_276_157_952L);
                            assertThat(s.memoryPlan.fits).isTrue();
                            assertThat(s.memoryPlan.precision).isEqualTo("bfloat16 frozen weights, float32 matmuls");
                            assertThat(s.memoryPlan.summary).startsWith("memory plan: peak 6.8 GiB");
                        }),
                row(
                        "a checkpoint on a local path stays as it is",
                        checkpointAt("/out/checkpoints/step-5"),
                        s -> assertThat(s.checkpoint.path).isEqualTo("/out/checkpoints/step-5")),
                row(
                        "step metrics: five significant digits, no NaN; evaluations: every digit",
                        new RunSnapshot(
                                "pod",
                                Phase.PHASE_TRAINING,
                                5,
                                10,
                                null,
                                null,
                                TrainMetrics.newBuilder()
                                        .setStep(5)
                                        .setLoss(0.123456789)
                                        .setNll(Double.NaN)
                                        .setMeanTargetProb(0.9)
                                        .setTokensPerSecond(12345.678)
                                        .setLearningRate(Double.POSITIVE_INFINITY)
                                        .build(),
                                EvalMetrics.newBuilder()
                                        .setStep(0)
                                        .setNll(2.7169531)
                                        .setTokenAccuracy(0.5)
                                        .build(),
                                null,
                                0,
                                null,
                                null,
                                null,
                                null,
                                AT),
                        s -> {
                            assertThat(s.metrics.step).isEqualTo(5);
                            assertThat(s.metrics.loss).isEqualTo(0.12346);
                            assertThat(s.metrics.nll).isNull();
                            assertThat(s.metrics.tokensPerSecond).isEqualTo(12346.0);
                            assertThat(s.metrics.learningRate).isNull();
                            assertThat(s.metrics.eval.step).isZero();
                            assertThat(s.metrics.eval.nll).isEqualTo(2.7169531);
                            assertThat(s.metrics.eval.exactMatch)
                                    .as("not measured")
                                    .isNull();
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void aReportShowsInTheStatus(String name, RunSnapshot run, Consumer<FineTuneJobStatus> expect) {
        FineTuneJobStatus status = new FineTuneJobStatus();
        StatusMapping.merge(status, run);
        expect.accept(status);
    }

    @Test
    void aReportWithoutNewsLeavesWhatAnEarlierOneSet() {
        FineTuneJobStatus status = new FineTuneJobStatus();
        StatusMapping.merge(status, run(Phase.PHASE_TRAINING, 5, 10, 4.0));
        StatusMapping.merge(status, run(Phase.PHASE_STOPPING, 5, 0, null));
        assertThat(status.trainerPhase).isEqualTo("STOPPING");
        assertThat(status.progress.step).as("kept: the report has no total").isEqualTo(5);
        assertThat(status.progress.totalSteps).isEqualTo(10);
    }

    @Test
    void copiesAreDeepAndCompareByContent() {
        FineTuneJobStatus status = new FineTuneJobStatus();
        StatusMapping.merge(status, run(Phase.PHASE_TRAINING, 5, 10, 4.0));
        FineTuneJobStatus copy = StatusMapping.copy(status);
        assertThat(StatusMapping.same(status, copy)).isTrue();
        copy.progress.step = 6;
        assertThat(status.progress.step).isEqualTo(5);
        assertThat(StatusMapping.same(status, copy)).isFalse();
    }
}
