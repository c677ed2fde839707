package io.dftune.operator.status;

import static io.dftune.operator.testing.ClusterObjects.T0;
import static io.dftune.operator.testing.ClusterObjects.exited;
import static io.dftune.operator.testing.ClusterObjects.pod;
import static io.dftune.operator.testing.ClusterObjects.trainerJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.dftune.operator.testing.ClusterObjects;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.RunStatus;
import io.dftune.proto.v1.TrainMetrics;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The trainer's final report in its pod's termination message: the status gets the run's final
 * metrics from it whether or not the operator followed the trainer, and a finished job keeps them.
 */
class TerminationReportTest {
    private static final Job JOB = trainerJob(0);
    private static final Instant NOW = T0.plusSeconds(600);

    private static EvalMetrics eval(long step, double exactMatch) {
        return EvalMetrics.newBuilder()
                .setStep(step)
                .setNll(5.0 - step / 2.0)
                .setExactMatch(exactMatch)
                .setAnswered(4)
                .build();
    }

    private static RunStatus finalStatus() {
        return RunStatus.newBuilder()
                .setPhase(io.dftune.proto.v1.Phase.PHASE_SUCCEEDED)
                .setStep(6)
                .setTotalSteps(6)
                .setLatestTrain(
                        TrainMetrics.newBuilder().setStep(6).setLoss(3.25).setNll(3.5))
                .setLatestEval(eval(6, 0.75))
                .setBaseEval(eval(0, 0.25))
                .setFinalModel("/mnt/pvc/runs/ftj/final")
                .build();
    }

    private static String json(RunStatus status) throws Exception {
        return JsonFormat.printer().omittingInsignificantWhitespace().print(status);
    }

    private static FineTuneJobStatus decide(FineTuneJobStatus status, List<Pod> pods, RunSnapshot followed) {
        return Lifecycle.decide(new Lifecycle.Observed(
                ClusterObjects.fineTuneJob(status),
                List.of(),
                Optional.of(JOB),
                pods,
                Optional.ofNullable(followed),
                NOW));
    }

    @Test
    void aTrainerThatEndedBeforeTheOperatorReachedItGivesTheStatusItsFinalMetrics() throws Exception {
        Pod ended = exited(pod(JOB, "Succeeded"), 0, "Completed", json(finalStatus()));

        FineTuneJobStatus status = decide(ClusterObjects.status(Phase.Running, "Training", 0, 0), List.of(ended), null);

        assertThat(status.phase).isEqualTo(Phase.Succeeded);
        assertThat(status.trainerPhase).isEqualTo("SUCCEEDED");
        assertThat(status.progress.step).isEqualTo(6);
        assertThat(status.metrics.eval.step).isEqualTo(6);
        assertThat(status.metrics.eval.exactMatch).isEqualTo(0.75);
        assertThat(status.metrics.baseEval.step).isZero();
        assertThat(status.metrics.baseEval.exactMatch).isEqualTo(0.25);
        assertThat(status.metrics.loss).isEqualTo(3.25);
    }

    @Test
    void theReportOutranksWhatWasFollowedAndAFinishedJobTakesNoOlderReport() throws Exception {
        RunSnapshot midRun = RunSnapshot.of(
                "pod",
                RunStatus.newBuilder()
                        .setPhase(io.dftune.proto.v1.Phase.PHASE_TRAINING)
                        .setStep(3)
                        .setTotalSteps(6)
                        .setLatestEval(eval(0, 0.25))
                        .build(),
                T0);
        Pod ended = exited(pod(JOB, "Succeeded"), 0, "Completed", json(finalStatus()));
        FineTuneJobStatus finished =
                decide(ClusterObjects.status(Phase.Running, "Training", 0, 0), List.of(ended), midRun);
        assertThat(finished.metrics.eval.step).isEqualTo(6);

        // The pod is gone (deleted by hand): what was followed of it is older than the status.
        FineTuneJobStatus later = decide(finished, List.of(), midRun);
        assertThat(later.phase).isEqualTo(Phase.Succeeded);
        assertThat(later.progress.step).isEqualTo(6);
        assertThat(later.metrics.eval.step).isEqualTo(6);
        assertThat(later.metrics.eval.exactMatch).isEqualTo(0.75);
    }

    @Test
    void aRefusalToRunNamesTheTrainersOwnMessage() throws Exception {
        String refusal = "the run does not fit: its memory plan peaks at 29.3 GiB of 23.5 GiB; try LoRA";
        RunStatus failed = RunStatus.newBuilder()
                .setPhase(io.dftune.proto.v1.Phase.PHASE_FAILED)
                .setError(refusal)
                .build();
        Pod ended = exited(pod(JOB, "Failed"), 4, "Error", json(failed));

        FineTuneJobStatus status = decide(ClusterObjects.status(Phase.Pending, "Starting", 0, 0), List.of(ended), null);

        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(status.reason).isEqualTo(Lifecycle.DOES_NOT_FIT);
        assertThat(status.message).isEqualTo(refusal);
    }

    @Test
    void theEndOfALogIsNoReport() {
        Pod crashed = exited(pod(JOB, "Failed"), 1, "Error", "{ at step 3\nException in thread main\n");
        assertThat(TerminationReport.of(crashed, NOW)).isEmpty();
        assertThat(TerminationReport.of(pod(JOB, "Running"), NOW)).isEmpty();
    }
}
