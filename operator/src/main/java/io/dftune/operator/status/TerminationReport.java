package io.dftune.operator.status;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.proto.v1.RunStatus;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Optional;

/**
 * The trainer's final status, which it leaves as its container's termination message when it ends
 * (a {@link RunStatus} in protobuf's JSON mapping, docs/trainer-service.md): read from the ended
 * pod's status, so the FineTuneJob gets the run's final metrics whether or not the operator
 * followed the trainer over gRPC to the end. A message that is not such a report (the end of the
 * log a trainer that crashed left, by the pod's {@code FallbackToLogsOnError} policy) is none.
 */
public final class TerminationReport {
    private TerminationReport() {}

    /** The report of the pod's ended trainer container, as the snapshot the status is made from. */
    public static Optional<RunSnapshot> of(Pod pod, Instant now) {
        return Attempt.terminated(pod)
                .map(ContainerStateTerminated::getMessage)
                .flatMap(TerminationReport::parse)
                .map(status -> RunSnapshot.of(pod.getMetadata().getUid(), status, now));
    }

    static Optional<RunStatus> parse(String message) {
        if (message == null || !message.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        RunStatus.Builder status = RunStatus.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(message, status);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        return Optional.of(status.build());
    }
}
