package io.dftune.operator.status;

import static io.dftune.operator.api.Phase.Failed;
import static io.dftune.operator.api.Phase.Pending;
import static io.dftune.operator.api.Phase.Running;
import static io.dftune.operator.api.Phase.Succeeded;
import static io.dftune.operator.api.Phase.Suspended;
import static io.dftune.operator.testing.ClusterObjects.T0;
import static io.dftune.operator.testing.ClusterObjects.disrupted;
import static io.dftune.operator.testing.ClusterObjects.exited;
import static io.dftune.operator.testing.ClusterObjects.pod;
import static io.dftune.operator.testing.ClusterObjects.podReason;
import static io.dftune.operator.testing.ClusterObjects.queued;
import static io.dftune.operator.testing.ClusterObjects.trainerJob;
import static io.dftune.operator.testing.ClusterObjects.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.dftune.operator.testing.ClusterObjects;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.spec.Violation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Lifecycle#decide}, the next status from what is observed, one row per situation: phase
 * transitions, each exit code, disruptions, suspend, deadline, backoffLimit, finished jobs. No
 * cluster: the Job, pods and trainer report of each row are built as the API server shows them.
 */
class LifecycleDecideTest {
    private static final Job JOB0 = trainerJob(0);
    private static final Job JOB1 = trainerJob(1);
    private static final Instant NOW = T0.plusSeconds(600);
    private static final String STARTED = T0.plusSeconds(60).toString();

    /** One observation. */
    static final class Given {
        final String name;
        FineTuneJobStatus status;
        Consumer<FineTuneJob> spec = j -> {};
        final List<Violation> violations = new ArrayList<>();
        Job trainerJob;
        final List<Pod> pods = new ArrayList<>();
        RunSnapshot run;

        Given(String name) {
            this.name = name;
        }

        Given status(Phase phase, String reason, int restarts, int failures) {
            status = ClusterObjects.status(phase, reason, restarts, failures);
            return this;
        }

        Given startedAt(String time) {
            status.startTime = time;
            return this;
        }

        Given spec(Consumer<FineTuneJob> edit) {
            spec = edit;
            return this;
        }

        Given violation(String field, String message) {
            violations.add(new Violation(field, message));
            return this;
        }

        Given job(Job job) {
            trainerJob = job;
            return this;
        }

        /** The current Job's pod ended with {@code code}: Succeeded for 0, Failed otherwise. */
        Given exit(int code, String reason) {
            pods.add(exited(pod(trainerJob, code == 0 ? "Succeeded" : "Failed"), code, reason));
            return this;
        }

        Given pods(Pod... more) {
            pods.addAll(List.of(more));
            return this;
        }

        Given trainerError(String error) {
            run = new RunSnapshot(
                    "pod",
                    io.dftune.proto.v1.Phase.PHASE_FAILED,
                    3,
                    10,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    error,
                    null,
                    null,
                    null,
                    NOW);
            return this;
        }

        FineTuneJobStatus decide() {
            FineTuneJob job = ClusterObjects.fineTuneJob(j -> {
                j.setStatus(status);
                spec.accept(j);
            });
            return Lifecycle.decide(new Lifecycle.Observed(
                    job, violations, Optional.ofNullable(trainerJob), pods, Optional.ofNullable(run), NOW));
        }

        Arguments then(Phase phase, String reason, int restarts, int failures, String message) {
            return Arguments.of(this, new Expected(phase, reason, restarts, failures, message));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Expected(Phase phase, String reason, int restarts, int failures, String message) {}

    private static Given given(String name) {
        return new Given(name);
    }

    /** Attempt 0 has been running: its Job exists, the status says Training. */
    private static Given running(String name) {
        return given(name).status(Running, "Training", 0, 0).job(JOB0);
    }

    /** Running since {@link #STARTED}, its pod still up, with an active deadline. */
    private static Given runningWithDeadline(String name, long seconds) {
        return running(name)
                .startedAt(STARTED)
                .spec(j -> j.getSpec().setActiveDeadlineSeconds(seconds))
                .pods(pod(JOB0, "Running"));
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                // New jobs and starting
                given("new job, nothing made yet").then(Pending, "Starting", 0, 0, "creating the trainer Job"),
                given("new job, Job created").job(JOB0).then(Pending, "Starting", 0, 0, "waiting for the trainer pod"),
                given("queued by Kueue").job(queued(JOB0)).then(Pending, "Queued", 0, 0, "waits for admission"),
                given("pod pending")
                        .job(JOB0)
                        .pods(pod(JOB0, "Pending"))
                        .then(Pending, "Starting", 0, 0, "is starting"),
                given("pod running").job(JOB0).pods(pod(JOB0, "Running")).then(Running, "Training", 0, 0, "is running"),
                // Invalid specs
                given("invalid spec")
                        .violation("spec.training.batchSize", "must be >= 1 (got 0)")
                        .then(Failed, "InvalidSpec", 0, 0, "spec.training.batchSize: must be >= 1 (got 0)"),
                given("two violations, both named")
                        .violation("spec.a", "bad")
                        .violation("metadata.name", "too long")
                        .then(Failed, "InvalidSpec", 0, 0, "spec.a: bad; metadata.name: too long"),
                running("running job turns invalid")
                        .pods(pod(JOB0, "Running"))
                        .violation("spec.nodeSelector[bad key]", "label key")
                        .then(Failed, "InvalidSpec", 0, 0, "label key"),
                given("invalid spec fixed")
                        .status(Failed, "InvalidSpec", 0, 0)
                        .then(Pending, "Starting", 0, 0, "creating the trainer Job"),
                // Exit codes
                running("exit 0").exit(0, "Completed").then(Succeeded, "Succeeded", 0, 0, "training finished"),
                running("exit 1, first failure")
                        .exit(1, "Error")
                        .then(Pending, "TrainerFailed", 1, 1, "exited with code 1 (Error); retry 1 of 3"),
                running("exit 1 with the trainer's error")
                        .exit(1, "Error")
                        .trainerError("data file not found")
                        .then(Pending, "TrainerFailed", 1, 1, "exited with code 1 (Error): data file not found"),
                given("exit 1, third failure of 3")
                        .status(Running, "Training", 2, 2)
                        .job(trainerJob(2))
                        .exit(1, "Error")
                        .then(Pending, "TrainerFailed", 3, 3, "retry 3 of 3"),
                given("exit 1, fourth failure of 3")
                        .status(Running, "Training", 3, 3)
                        .job(trainerJob(3))
                        .exit(1, "Error")
                        .then(Failed, "BackoffLimitExceeded", 3, 4, "failed 4 times (backoffLimit 3)"),
                running("backoffLimit 0: the first failure is final")
                        .spec(j -> j.getSpec().setBackoffLimit(0))
                        .exit(1, "Error")
                        .then(Failed, "BackoffLimitExceeded", 0, 1, "failed 1 time (backoffLimit 0)"),
                running("exit 137 OOMKilled")
                        .exit(137, "OOMKilled")
                        .then(Pending, "TrainerFailed", 1, 1, "code 137 (OOMKilled)"),
                running("exit 3: cancelled").exit(3, "Error").then(Failed, "Cancelled", 0, 0, "cancelled"),
                running("exit 4: does not fit, final without a retry or a failure counted")
                        .exit(4, "Error")
                        .then(Failed, "DoesNotFit", 0, 0, "does not fit in the memory it has"),
                running("exit 4 with the trainer's refusal")
                        .exit(4, "Error")
                        .trainerError("the run does not fit: its memory plan peaks at 29.3 GiB; planned peak with ...")
                        .then(Failed, "DoesNotFit", 0, 0, "the run does not fit: its memory plan peaks at 29.3 GiB"),
                given("exit 75: preempted, not a failure")
                        .status(Running, "Training", 0, 2)
                        .job(JOB0)
                        .exit(75, "Error")
                        .then(Pending, "Preempted", 1, 2, "a new trainer pod resumes from the newest checkpoint"),
                given("exit 75 with backoffLimit already used up")
                        .status(Running, "Training", 3, 3)
                        .job(trainerJob(3))
                        .exit(75, "Error")
                        .then(Pending, "Preempted", 4, 3, "exit code 75"),
                // Disruptions
                running("DisruptionTarget")
                        .pods(disrupted(exited(pod(JOB0, "Failed"), 137, "Error"), "True", "PreemptionByScheduler"))
                        .then(Pending, "Preempted", 1, 0, "PreemptionByScheduler"),
                running("evicted")
                        .pods(podReason(pod(JOB0, "Failed"), "Evicted"))
                        .then(Pending, "Preempted", 1, 0, "Evicted"),
                running("node shut down")
                        .pods(podReason(pod(JOB0, "Failed"), "NodeShutdown"))
                        .then(Pending, "Preempted", 1, 0, "NodeShutdown"),
                given("pod lost with its node")
                        .status(Running, "Training", 0, 0)
                        .job(withCondition(JOB0, "Failed"))
                        .then(Pending, "Preempted", 1, 0, "the trainer pod was lost"),
                given("Job failed before its pod's end is seen: nothing counted yet")
                        .status(Running, "Training", 0, 0)
                        .job(withCondition(JOB0, "Failed"))
                        .pods(pod(JOB0, "Running"))
                        .then(Running, "Training", 0, 0, "is running"),
                // Attempts: counted once
                given("old attempt's Job still there")
                        .status(Pending, "TrainerFailed", 1, 1)
                        .job(JOB0)
                        .exit(1, "Error")
                        .then(Pending, "Starting", 1, 1, "creating the trainer Job"),
                given("old attempt's pod still stopping")
                        .status(Pending, "Preempted", 1, 0)
                        .pods(pod(JOB0, "Running"))
                        .then(Pending, "Starting", 1, 0, "waiting for the previous"),
                given("new attempt's Job made")
                        .status(Pending, "TrainerFailed", 1, 1)
                        .job(JOB1)
                        .then(Pending, "Starting", 1, 1, "waiting for the trainer pod"),
                given("new attempt running")
                        .status(Pending, "TrainerFailed", 1, 1)
                        .job(JOB1)
                        .pods(exited(pod(JOB0, "Failed", 1), 1, "Error"), pod(JOB1, "Running", 2))
                        .then(Running, "Training", 1, 1, "is running"),
                given("a Job newer than the status (status write lost)")
                        .status(Running, "Training", 0, 0)
                        .job(trainerJob(2))
                        .pods(pod(trainerJob(2), "Running"))
                        .then(Running, "Training", 2, 0, "is running"),
                // Suspend
                running("suspended while running")
                        .spec(j -> j.getSpec().setSuspend(true))
                        .pods(pod(JOB0, "Running"))
                        .then(Suspended, "Suspended", 0, 0, "stopping the trainer pod; it writes a checkpoint first"),
                given("suspended and stopped")
                        .status(Suspended, "Suspended", 0, 0)
                        .spec(j -> j.getSpec().setSuspend(true))
                        .pods(exited(pod(JOB0, "Failed"), 75, "Error"))
                        .then(Suspended, "Suspended", 0, 0, "set suspend: false to resume"),
                given("suspended before it started")
                        .spec(j -> j.getSpec().setSuspend(true))
                        .then(Suspended, "Suspended", 0, 0, "the trainer pod is stopped"),
                given("resumed")
                        .status(Suspended, "Suspended", 0, 0)
                        .pods(exited(pod(JOB0, "Failed"), 75, "Error"))
                        .then(Pending, "Starting", 0, 0, "creating the trainer Job"),
                given("resumed while the suspended attempt's Job is still seen")
                        .status(Suspended, "Suspended", 0, 0)
                        .job(JOB0)
                        .exit(75, "Error")
                        .then(Pending, "Resuming", 0, 0, "the suspended trainer pod has stopped"),
                given("resuming: the suspended pod failed as it stopped")
                        .status(Pending, "Resuming", 0, 0)
                        .job(JOB0)
                        .exit(137, "Error")
                        .then(Pending, "Resuming", 0, 0, "resumes from the newest checkpoint"),
                given("resuming: the suspended attempt's Job is gone")
                        .status(Pending, "Resuming", 0, 0)
                        .pods(exited(pod(JOB0, "Failed"), 75, "Error"))
                        .then(Pending, "Starting", 0, 0, "creating the trainer Job"),
                given("resumed before the suspension stopped the pod")
                        .status(Suspended, "Suspended", 0, 0)
                        .job(JOB0)
                        .pods(pod(JOB0, "Running"))
                        .then(Running, "Training", 0, 0, "is running"),
                // Deadline

                runningWithDeadline("deadline passed", 300)
                        .then(Failed, "DeadlineExceeded", 0, 0, "activeDeadlineSeconds (300)"),
                given("deadline passed while suspended")
                        .status(Suspended, "Suspended", 0, 0)
                        .startedAt(STARTED)
                        .spec(j -> {
                            j.getSpec().setActiveDeadlineSeconds(300L);
                            j.getSpec().setSuspend(true);
                        })
                        .then(Failed, "DeadlineExceeded", 0, 0, "activeDeadlineSeconds"),
                runningWithDeadline("deadline not reached", 3600).then(Running, "Training", 0, 0, "is running"),
                runningWithDeadline("deadline reached exactly", 540).then(Failed, "DeadlineExceeded", 0, 0, "540"),
                given("deadline counts from the first run only")
                        .status(Pending, "Starting", 0, 0)
                        .spec(j -> j.getSpec().setActiveDeadlineSeconds(1L))
                        .job(JOB0)
                        .then(Pending, "Starting", 0, 0, "waiting for the trainer pod"),
                // Finished jobs stay finished
                given("succeeded stays, whatever the Job shows")
                        .status(Succeeded, "Succeeded", 0, 0)
                        .job(JOB0)
                        .exit(1, "Error")
                        .then(Succeeded, "Succeeded", 0, 0, null),
                given("succeeded stays when the spec turns invalid")
                        .status(Succeeded, "Succeeded", 0, 0)
                        .violation("spec.backoffLimit", "too high")
                        .then(Succeeded, "Succeeded", 0, 0, null),
                given("backoff limit exceeded stays")
                        .status(Failed, "BackoffLimitExceeded", 3, 4)
                        .then(Failed, "BackoffLimitExceeded", 3, 4, null),
                given("cancelled stays after un-suspending")
                        .status(Failed, "Cancelled", 0, 0)
                        .spec(j -> j.getSpec().setSuspend(false))
                        .then(Failed, "Cancelled", 0, 0, null),
                given("deadline exceeded stays")
                        .status(Failed, "DeadlineExceeded", 0, 0)
                        .startedAt(STARTED)
                        .then(Failed, "DeadlineExceeded", 0, 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void theNextStatusFollowsFromWhatIsObserved(Given given, Expected expected) {
        FineTuneJobStatus next = given.decide();
        assertThat(next.phase).as("phase").isEqualTo(expected.phase());
        assertThat(next.reason).as("reason").isEqualTo(expected.reason());
        assertThat(next.restarts).as("restarts").isEqualTo(expected.restarts());
        assertThat(next.failures).as("failures").isEqualTo(expected.failures());
        if (expected.message() != null) {
            assertThat(next.message).as("message").contains(expected.message());
        }
        assertThat(next.observedGeneration).isEqualTo(1L);
        // Every condition is present, and exactly the one of the phase (if any) is True.
        assertThat(next.conditions)
                .extracting(Condition::getType)
                .containsExactly("SpecValid", "Running", "Suspended", "Complete", "Failed");
        assertThat(condition(next, "Running")).isEqualTo(expected.phase() == Running);
        assertThat(condition(next, "Suspended")).isEqualTo(expected.phase() == Suspended);
        assertThat(condition(next, "Complete")).isEqualTo(expected.phase() == Succeeded);
        assertThat(condition(next, "Failed")).isEqualTo(expected.phase() == Failed);
        assertThat(condition(next, "SpecValid")).isEqualTo(!"InvalidSpec".equals(expected.reason()));
    }

    private static boolean condition(FineTuneJobStatus status, String type) {
        return "True".equals(Conditions.find(status.conditions, type).getStatus());
    }

    @Test
    void aTrainerThatFirstRunsSetsTheStartTimeOnce() {
        FineTuneJobStatus first =
                given("first run").job(JOB0).pods(pod(JOB0, "Running")).decide();
        assertThat(first.startTime).isEqualTo(NOW.toString());
        FineTuneJobStatus later = given("restarted")
                .status(Pending, "Preempted", 1, 0)
                .startedAt(STARTED)
                .job(JOB1)
                .pods(pod(JOB1, "Running"))
                .decide();
        assertThat(later.startTime).isEqualTo(STARTED);
    }

    @Test
    void finishingSetsTheCompletionTimeAndSuccessTheFinalModel() {
        FineTuneJobStatus succeeded = running("exit 0").exit(0, "Completed").decide();
        assertThat(succeeded.completionTime).isEqualTo(NOW.toString());
        assertThat(succeeded.finalModel).isEqualTo("pvc://runs/ftj/final");

        FineTuneJobStatus failed =
                running("cancelled").pods(exited(pod(JOB0, "Failed"), 3, null)).decide();
        assertThat(failed.completionTime).isEqualTo(NOW.toString());
        assertThat(failed.finalModel).isNull();

        FineTuneJobStatus retried =
                running("retried").pods(exited(pod(JOB0, "Failed"), 1, null)).decide();
        assertThat(retried.completionTime).isNull();
    }

    @Test
    void aConditionsTransitionTimeMovesOnlyWhenItFlips() {
        FineTuneJobStatus running =
                given("running").job(JOB0).pods(pod(JOB0, "Running")).decide();
        Condition since = Conditions.find(running.conditions, "Running");
        FineTuneJob again = ClusterObjects.fineTuneJob(running);
        FineTuneJobStatus still = Lifecycle.decide(new Lifecycle.Observed(
                again,
                List.of(),
                Optional.of(JOB0),
                List.of(pod(JOB0, "Running")),
                Optional.empty(),
                NOW.plusSeconds(30)));
        assertThat(Conditions.find(still.conditions, "Running").getLastTransitionTime())
                .isEqualTo(since.getLastTransitionTime());
        FineTuneJobStatus done = Lifecycle.decide(new Lifecycle.Observed(
                ClusterObjects.fineTuneJob(still),
                List.of(),
                Optional.of(JOB0),
                List.of(exited(pod(JOB0, "Succeeded"), 0, null)),
                Optional.empty(),
                NOW.plusSeconds(60)));
        assertThat(Conditions.find(done.conditions, "Running").getLastTransitionTime())
                .isEqualTo(NOW.plusSeconds(60).toString());
    }
}
