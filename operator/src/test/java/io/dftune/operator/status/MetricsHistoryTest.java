package io.dftune.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.MetricsStatus.CurvePoint;
import io.dftune.operator.testing.ClusterObjects;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.PhaseChange;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.TrainMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status keeps the evaluation before training and a bounded training curve across reports. */
class MetricsHistoryTest {

    private static RunSnapshot report(long step, EvalMetrics eval) {
        return report(step, eval, null);
    }

    private static RunSnapshot report(long step, EvalMetrics eval, EvalMetrics baseEval) {
        TrainMetrics train = TrainMetrics.newBuilder()
                .setStep(step)
                .setLoss(1.0 / step)
                .setNll(2.0 / step)
                .setMeanTargetProb(0.5)
                .build();
        return new RunSnapshot(
                "pod",
                Phase.PHASE_TRAINING,
                step,
                1000,
                null,
                null,
                train,
                eval,
                null,
                0,
                null,
                null,
                null,
                baseEval,
                ClusterObjects.T0);
    }

    private static EvalMetrics eval(long step, double exactMatch) {
        return EvalMetrics.newBuilder()
                .setStep(step)
                .setNll(1.5)
                .setExactMatch(exactMatch)
                .setAnswered(40)
                .build();
    }

    @Test
    void theEvaluationBeforeTrainingStaysAfterLaterEvaluations() {
        FineTuneJobStatus status = new FineTuneJobStatus();
        RunSnapshot evaluated = RunSnapshot.empty("pod", ClusterObjects.T0)
                .with(
                        RunEvent.newBuilder()
                                .setPhase(PhaseChange.newBuilder().setPhase(Phase.PHASE_EVALUATING))
                                .build(),
                        ClusterObjects.T0)
                .with(RunEvent.newBuilder().setEval(eval(0, 0.25)).build(), ClusterObjects.T0);
        StatusMapping.merge(status, evaluated);
        StatusMapping.merge(status, report(2, eval(0, 0.25), evaluated.baseEval()));
        // A later pod that resumed from a checkpoint reports no base evaluation of its own.
        StatusMapping.merge(status, report(10, eval(10, 0.75)));

        assertThat(status.metrics.eval.exactMatch).isEqualTo(0.75);
        assertThat(status.metrics.baseEval.step).isZero();
        assertThat(status.metrics.baseEval.exactMatch).isEqualTo(0.25);
        assertThat(status.metrics.baseEval.answered).isEqualTo(40);
    }

    @Test
    void aResumedPodWithoutAnEvaluationAtStepZeroSetsNoBase() {
        FineTuneJobStatus status = new FineTuneJobStatus();
        StatusMapping.merge(status, report(30, eval(30, 0.5)));
        assertThat(status.metrics.baseEval).isNull();
    }

    @Test
    void theCurveGrowsOnlyForwardAndStaysBoundedAndEvenlyThinned() {
        FineTuneJobStatus status = new FineTuneJobStatus();
        for (long step = 1; step <= 1000; step++) {
            StatusMapping.merge(status, report(step, null));
            StatusMapping.merge(status, report(step, null)); // a repeated report adds nothing
            StatusMapping.merge(status, report(Math.max(1, step - 3), null)); // nor does an older one
        }
        List<CurvePoint> curve = status.metrics.curve;
        assertThat(curve).hasSizeLessThanOrEqualTo(MetricsHistory.MAX_CURVE_POINTS);
        assertThat(curve.size()).isGreaterThan(MetricsHistory.MAX_CURVE_POINTS / 2);
        assertThat(curve.get(curve.size() - 1).step)
                .as("the newest point is kept")
                .isEqualTo(1000);
        assertThat(curve.get(0).step)
                .as("the curve still starts near the beginning")
                .isLessThanOrEqualTo(16);
        for (int i = 1; i < curve.size(); i++) {
            assertThat(curve.get(i).step).isGreaterThan(curve.get(i - 1).step);
        }
        CurvePoint point = curve.get(curve.size() / 2);
        assertThat(point.loss).isEqualTo(1.0 / point.step, org.assertj.core.data.Offset.offset(1e-4 / point.step));
        assertThat(point.meanTargetProb).isEqualTo(0.5);
    }
}
