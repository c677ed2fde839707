package io.dftune.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.MemoryPlan;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The final status as a termination message: complete when it fits, within the kubelet's 4096 bytes when not. */
class TerminationReportTest {
    private static RunStatus.Builder status() {
        return RunStatus.newBuilder()
                .setPhase(Phase.PHASE_FAILED)
                .setStep(40)
                .setTotalSteps(100)
                .setLatestEval(EvalMetrics.newBuilder().setStep(40).setNll(1.25).setExactMatch(0.5))
                .setBaseEval(EvalMetrics.newBuilder().setStep(0).setNll(2.5).setExactMatch(0.125))
                .setMemoryPlan(MemoryPlan.newBuilder().setPeakBytes(1L << 33).setSummary("memory plan: peak 8.0 GiB"));
    }

    private static RunStatus parse(String json) throws Exception {
        RunStatus.Builder parsed = RunStatus.newBuilder();
        JsonFormat.parser().merge(json, parsed);
        return parsed.build();
    }

    @Test
    void aStatusThatFitsIsWrittenWhole(@TempDir Path dir) throws Exception {
        RunStatus status = status().setError("data file not found: train.jsonl").build();
        Path file = dir.resolve("termination-log");

        TerminationReport.write(status, file);

        String message = Files.readString(file);
        assertThat(message).doesNotContain("\n");
        assertThat(parse(message)).isEqualTo(status);
    }

    @Test
    void aLongErrorIsShortenedToFitTheKubeletsLimit() throws Exception {
        // Multi-byte characters and characters JSON escapes: the limit is in bytes of the written message.
        String error = "the run does not fit: \"é\" ".repeat(400);
        RunStatus status = status().setError(error).build();

        String message = TerminationReport.json(status);

        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TerminationReport.MAX_BYTES);
        RunStatus parsed = parse(message);
        assertThat(parsed.getError()).startsWith("the run does not fit: \"é\"").endsWith("[...]");
        assertThat(parsed.getError().length()).isGreaterThan(1000);
        assertThat(parsed.toBuilder().clearError().build())
                .as("everything but the error as it was")
                .isEqualTo(status.toBuilder().clearError().build());
    }
}
