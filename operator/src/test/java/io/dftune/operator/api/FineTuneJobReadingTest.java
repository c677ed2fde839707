package io.dftune.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.operator.testing.TestJobs;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.ObjectiveType;
import io.dftune.spec.Violation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * A FineTuneJob the Java types cannot hold still reads, as the informer reads it: the fields that
 * do not bind are named with their values, the rest binds, and the spec is written back as read.
 */
class FineTuneJobReadingTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static FineTuneJob read(String manifest) {
        return SERIALIZATION.unmarshal(manifest, FineTuneJob.class);
    }

    @Test
    void aReadableSpecIsAPlainSpecWithNothingUnbound() {
        FineTuneJob job = read(TestJobs.manifest("fine", 10, 0));
        assertThat(job.getSpec()).isExactlyInstanceOf(FineTuneJobSpec.class);
        assertThat(job.unboundFields()).isEmpty();
    }

    @Test
    void unbindableFieldsAreNamedWithTheirValuesAndTheRestBinds() {
        FineTuneJob job = read(TestJobs.manifest("bad", 10, 0)
                .replace("type: dft}", "type: bogus}")
                .replace("maxSteps: 10", "maxSteps: ten"));
        assertThat(job.unboundFields())
                .extracting(Violation::toString)
                .containsExactlyInAnyOrder(
                        "spec.objective.type: unknown value \"bogus\"; allowed: sft, dft, asft, prob-q, dft-power",
                        "spec.training.maxSteps: expected an integer, got \"ten\"");
        assertThat(job.getSpec().getObjective().getType())
                .as("left at its default")
                .isEqualTo(ObjectiveType.DFT);
        assertThat(job.getSpec().getOutput().getPath()).isEqualTo("pvc://runs/bad");
    }

    @Test
    void anUnboundSpecIsWrittenBackAsReadAndACopyReadsTheSame() {
        FineTuneJob job = read(TestJobs.manifest("bad", 10, 0).replace("type: dft}", "type: bogus}"));
        JsonNode written = SERIALIZATION.convertValue(job, JsonNode.class);
        assertThat(written.at("/spec/objective/type").asText()).isEqualTo("bogus");
        FineTuneJob copy = SERIALIZATION.clone(job);
        assertThat(copy.unboundFields()).isEqualTo(job.unboundFields());
    }

    @Test
    void aStatusPhaseThisOperatorDoesNotKnowReadsAsNone() {
        FineTuneJob job = read(TestJobs.manifest("newer", 10, 0) + "status: {phase: Archived, restarts: 2}\n");
        assertThat(job.getStatus().phase).isNull();
        assertThat(job.getStatus().restarts).isEqualTo(2);
    }
}
