package io.dftune.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingPlan;
import io.dftune.proto.v1.Phase;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.ReportedMetric;
import io.dftune.spec.run.StepMetric;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The meters follow the run's callbacks, under the names TrainerMetrics declares. */
class RunMetersTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.PHASE_LOADING);
    private final RunMeters meters = new RunMeters(registry, "j", "ns", "dft", phase::get);

    private double gauge(String name) {
        return registry.get(name)
                .tag(TrainerMetrics.TAG_JOB, "j")
                .tag(TrainerMetrics.TAG_NAMESPACE, "ns")
                .tag(TrainerMetrics.TAG_OBJECTIVE, "dft")
                .gauge()
                .value();
    }

    private static String meter(ReportedMetric metric) {
        return metric.info().meter().orElseThrow().name();
    }

    @Test
    void aResumedRunCountsOneResumeAndReportsItsLatestStepAndEvaluation() {
        assertThat(gauge(meter(StepMetric.LOSS))).as("no step yet").isNaN();

        meters.onStart(new TrainingPlan(10, 4, 2, 24), 3);
        meters.onStep(new StepMetrics(4, 10, 0.6, 0.25, 1.5, 0.4, 0.3, 0.5, 1e-3, 0.8, 900, 12, 0.02));
        meters.onEval(new EvalMetrics(4, 1.2, 0.3, 0.45, 0.2, 0.6, 40, 0.5, 2, 0, Double.NaN, Double.NaN, Double.NaN));
        meters.onCheckpoint(4, Path.of("step-4"), 0.25);
        phase.set(Phase.PHASE_TRAINING);

        assertThat(registry.get(TrainerMetrics.RUN_RESUMES).counter().count()).isEqualTo(1);
        assertThat(gauge(meter(StepMetric.LOSS))).isEqualTo(0.25);
        assertThat(gauge(meter(StepMetric.NLL))).isEqualTo(1.5);
        assertThat(gauge(meter(StepMetric.LOW_PROB_TOKEN_RATIO))).isEqualTo(0.3);
        assertThat(gauge(meter(StepMetric.STEP))).isEqualTo(4);
        assertThat(gauge(TrainerMetrics.TRAIN_TOTAL_STEPS)).isEqualTo(10);
        assertThat(gauge(meter(EvalMetric.EXACT_MATCH))).isEqualTo(0.5);
        assertThat(gauge(TrainerMetrics.CHECKPOINT_STEP)).isEqualTo(4);
        assertThat(registry.get(meter(StepMetric.RESPONSE_TOKENS)).counter().count())
                .isEqualTo(12);
        assertThat(registry.get(TrainerMetrics.CHECKPOINT_WRITE).timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(250);
        assertThat(registry.get(TrainerMetrics.RUN_PHASE)
                        .tag(TrainerMetrics.TAG_PHASE, "training")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get(TrainerMetrics.RUN_PHASE)
                        .tag(TrainerMetrics.TAG_PHASE, "loading")
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    void aFreshRunCountsNoResume() {
        meters.onStart(new TrainingPlan(10, 4, 2, 24), 0);
        assertThat(registry.get(TrainerMetrics.RUN_RESUMES).counter().count()).isZero();
        assertThat(gauge(TrainerMetrics.RUN_GPUS)).as("the tests train on CPU").isZero();
        assertThat(registry.get(TrainerMetrics.RUN_GPU_SECONDS)
                        .functionCounter()
                        .count())
                .isZero();
    }
}
