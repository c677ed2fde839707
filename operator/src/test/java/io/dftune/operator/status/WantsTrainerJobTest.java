package io.dftune.operator.status;

import static io.dftune.operator.api.Phase.Failed;
import static io.dftune.operator.api.Phase.Pending;
import static io.dftune.operator.api.Phase.Running;
import static io.dftune.operator.api.Phase.Succeeded;
import static io.dftune.operator.testing.ClusterObjects.exited;
import static io.dftune.operator.testing.ClusterObjects.pod;
import static io.dftune.operator.testing.ClusterObjects.status;
import static io.dftune.operator.testing.ClusterObjects.trainerJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.testing.ClusterObjects;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Lifecycle#wantsTrainerJob}: whether the trainer Job should exist, given the status just written. */
class WantsTrainerJobTest {
    private static final Job JOB0 = trainerJob(0);
    private static final Job JOB1 = trainerJob(1);
    private static final Pod ALIVE = pod(JOB0, "Running");
    private static final Pod ENDED = exited(pod(JOB0, "Failed"), 75, null);

    /** A status just written, the spec's validity and suspend, the trainer Job and pods there are, and the answer. */
    record Case(
            String name,
            FineTuneJobStatus status,
            boolean validSpec,
            boolean suspend,
            Job actual,
            List<Pod> pods,
            boolean wanted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("new valid job", status(Pending, "Starting", 0, 0), true, false, null, List.of(), true),
                new Case("invalid spec", status(Failed, "InvalidSpec", 0, 0), false, false, null, List.of(), false),
                new Case(
                        "invalid spec removes a Job",
                        status(Failed, "InvalidSpec", 0, 0),
                        false,
                        false,
                        JOB0,
                        List.of(ALIVE),
                        false),
                new Case(
                        "current attempt's Job stays",
                        status(Running, "Training", 0, 0),
                        true,
                        false,
                        JOB0,
                        List.of(ALIVE),
                        true),
                new Case(
                        "older attempt's Job goes",
                        status(Pending, "Preempted", 1, 0),
                        true,
                        false,
                        JOB0,
                        List.of(ENDED),
                        false),
                new Case(
                        "next attempt waits for the old pod",
                        status(Pending, "Preempted", 1, 0),
                        true,
                        false,
                        null,
                        List.of(ALIVE),
                        false),
                new Case(
                        "next attempt once the old pod ended",
                        status(Pending, "Preempted", 1, 0),
                        true,
                        false,
                        null,
                        List.of(ENDED),
                        true),
                new Case(
                        "next attempt's Job stays",
                        status(Pending, "Starting", 1, 0),
                        true,
                        false,
                        JOB1,
                        List.of(ENDED),
                        true),
                new Case("suspended", status(Running, "Training", 0, 0), true, true, JOB0, List.of(ALIVE), false),
                new Case(
                        "resuming: the suspended attempt's Job goes",
                        status(Pending, "Resuming", 0, 0),
                        true,
                        false,
                        JOB0,
                        List.of(ENDED),
                        false),
                new Case(
                        "resuming: a new Job once the old one and its pod are gone",
                        status(Pending, "Starting", 0, 0),
                        true,
                        false,
                        null,
                        List.of(ENDED),
                        true),
                new Case(
                        "succeeded keeps its Job, for the logs",
                        status(Succeeded, "Succeeded", 0, 0),
                        true,
                        false,
                        JOB0,
                        List.of(),
                        true),
                new Case(
                        "succeeded makes none",
                        status(Succeeded, "Succeeded", 0, 0),
                        true,
                        false,
                        null,
                        List.of(),
                        false),
                new Case(
                        "backoff limit exceeded keeps its Job",
                        status(Failed, "BackoffLimitExceeded", 3, 4),
                        true,
                        false,
                        trainerJob(3),
                        List.of(),
                        true),
                new Case(
                        "cancelled makes none", status(Failed, "Cancelled", 0, 0), true, false, null, List.of(), false),
                new Case(
                        "deadline exceeded stops the pod",
                        status(Failed, "DeadlineExceeded", 0, 0),
                        true,
                        false,
                        JOB0,
                        List.of(ALIVE),
                        false),
                new Case(
                        "succeeded with a spec turned invalid",
                        status(Succeeded, "Succeeded", 0, 0),
                        false,
                        false,
                        JOB0,
                        List.of(),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theTrainerJobExistsOnlyForTheCurrentAttemptOfARunnableJob(Case c) {
        FineTuneJob job = ClusterObjects.fineTuneJob(j -> {
            j.setStatus(c.status());
            j.getSpec().setSuspend(c.suspend());
        });
        assertThat(Lifecycle.wantsTrainerJob(job, c.validSpec(), Optional.ofNullable(c.actual()), c.pods()))
                .isEqualTo(c.wanted());
    }
}
