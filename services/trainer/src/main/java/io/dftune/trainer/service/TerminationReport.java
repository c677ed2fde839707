package io.dftune.trainer.service;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.dftune.proto.v1.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run's last status, written as the process ends to the file Kubernetes keeps as the
 * container's termination message (the pod's {@code terminationMessagePath}), so the operator
 * reads the final metrics from the pod's status even when it never reached the trainer over gRPC
 * (a run shorter than the time to connect, or an operator that was down). The message is
 * {@link RunStatus} in protobuf's JSON mapping, at most {@value #MAX_BYTES} bytes (the kubelet's
 * limit): an error too long for it is shortened.
 */
public final class TerminationReport {
    /** The kubelet keeps at most this much of a container's termination message. */
    public static final int MAX_BYTES = 4096;

    private static final String CUT = " [...]";

    private TerminationReport() {}

    /** Writes {@code status} to {@code file}; a failure is reported on stderr and does not change the exit. */
    public static void write(RunStatus status, Path file) {
        try {
            Files.writeString(file, json(status), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            System.err.println("dftune: cannot write the termination message " + file + ": " + e.getMessage());
        }
    }

    /** The message: the status as one line of JSON, its error shortened to keep within {@value #MAX_BYTES} bytes. */
    static String json(RunStatus status) {
        RunStatus fitted = status;
        String json = print(fitted);
        while (bytes(json) > MAX_BYTES && !fitted.getError().isEmpty()) {
            String error = fitted.getError();
            int keep = Math.max(0, error.length() - (bytes(json) - MAX_BYTES) - CUT.length());
            fitted = fitted.toBuilder()
                    .setError(keep == 0 ? "" : error.substring(0, keep) + CUT)
                    .build();
            json = print(fitted);
        }
        if (bytes(json) > MAX_BYTES) {
            // Only an error could have been long; keep what says how the run ended.
            json = print(
                    fitted.toBuilder().clearMemoryPlan().clearLatestCheckpoint().build());
        }
        return json;
    }

    private static String print(RunStatus status) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(status);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("RunStatus has no JSON form: " + e.getMessage(), e);
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
