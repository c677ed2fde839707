package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster fields: one test per rule, each naming the field. */
class ClusterFieldsTest {
    private final FineTuneJobSpec spec = TestSpecs.valid();

    private List<Violation> violations() {
        return SpecValidator.validate(spec);
    }

    private void assertOnlyViolation(String field, String messagePart) {
        assertThat(violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.message()).contains(messagePart);
        });
    }

    private TolerationSpec toleration(String key, TolerationSpec.Operator operator, String value) {
        TolerationSpec t = new TolerationSpec();
        t.setKey(key);
        t.setOperator(operator);
        t.setValue(value);
        spec.setTolerations(List.of(t));
        return t;
    }

    @Test
    void aManifestWithEveryClusterFieldLoadsAndIsValid() {
        FineTuneJob job = FineTuneJobFiles.parse(
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                metadata: {name: cluster}
                spec:
                  model: {path: pvc://models/base}
                  data: {train: pvc://data/train.jsonl}
                  output: {path: pvc://runs/cluster}
                  image: example/dftune-trainer:1.0
                  resources: {gpus: 1, cpu: 500m, memory: 8Gi}
                  nodeSelector: {kubernetes.io/arch: amd64}
                  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                  priorityClassName: training
                  queueName: team-a
                  suspend: true
                  backoffLimit: 5
                  activeDeadlineSeconds: 3600
                  ttlSecondsAfterFinished: 600
                """,
                Path.of("."));
        FineTuneJobSpec s = job.getSpec();
        assertThat(s.getResources().getGpus()).isEqualTo(1);
        assertThat(s.getTolerations())
                .singleElement()
                .extracting(TolerationSpec::getOperator)
                .isEqualTo(TolerationSpec.Operator.EXISTS);
        assertThat(s.isSuspend()).isTrue();
        assertThat(s.getBackoffLimit()).isEqualTo(5);
        assertThat(SpecValidator.validateForCluster(s)).isEmpty();
    }

    @Test
    void clusterFieldsDefault() {
        assertThat(spec.isSuspend()).isFalse();
        assertThat(spec.getBackoffLimit()).isEqualTo(3);
        assertThat(spec.getActiveDeadlineSeconds()).isNull();
        assertThat(spec.getTtlSecondsAfterFinished()).isNull();
        assertThat(violations()).isEmpty();
    }

    @Test
    void imageMustNotBeBlankOrContainSpaces() {
        spec.setImage("my image");
        assertOnlyViolation("spec.image", "without spaces");
    }

    @Test
    void gpusAreZeroOrOneBecauseTheTrainerUsesOneDevice() {
        spec.setResources(new ResourcesSpec());
        spec.getResources().setGpus(-1);
        assertOnlyViolation("spec.resources.gpus", "must be 0 (CPU) or 1");
        spec.getResources().setGpus(2);
        assertOnlyViolation("spec.resources.gpus", "trains on one device");
        spec.getResources().setGpus(1);
        assertThat(violations()).isEmpty();
    }

    @Test
    void cpuMustBeAQuantity() {
        spec.setResources(new ResourcesSpec());
        spec.getResources().setCpu("two");
        assertOnlyViolation("spec.resources.cpu", "Kubernetes quantity");
    }

    @Test
    void memoryMustBePositive() {
        spec.setResources(new ResourcesSpec());
        spec.getResources().setMemory("0Gi");
        assertOnlyViolation("spec.resources.memory", "greater than 0");
    }

    @Test
    void quantitiesInEveryNotationAreAccepted() {
        spec.setResources(new ResourcesSpec());
        for (String q : List.of("1", "500m", "1.5", "8Gi", "100M", "1e3", ".5")) {
            spec.getResources().setCpu(q);
            spec.getResources().setMemory(q);
            assertThat(violations()).as(q).isEmpty();
        }
    }

    @Test
    void nodeSelectorKeysMustBeLabelKeys() {
        spec.setNodeSelector(Map.of("bad key", "x"));
        assertOnlyViolation("spec.nodeSelector[bad key]", "label key");
    }

    @Test
    void nodeSelectorValuesMustBeLabelValues() {
        spec.setNodeSelector(Map.of("pool", "-gpu"));
        assertOnlyViolation("spec.nodeSelector[pool]", "label value");
    }

    @Test
    void tolerationWithOperatorExistsTakesNoValue() {
        toleration("gpu", TolerationSpec.Operator.EXISTS, "yes");
        assertOnlyViolation("spec.tolerations[0].value", "must be empty when operator is Exists");
    }

    @Test
    void tolerationWithOperatorEqualNeedsAKey() {
        toleration(null, TolerationSpec.Operator.EQUAL, "yes");
        assertOnlyViolation("spec.tolerations[0].key", "required with operator Equal");
    }

    @Test
    void tolerationSecondsNeedsNoExecute() {
        toleration("gpu", TolerationSpec.Operator.EXISTS, null).setTolerationSeconds(30L);
        assertOnlyViolation("spec.tolerations[0].tolerationSeconds", "NoExecute");
    }

    @Test
    void tolerationOperatorIsRequired() {
        toleration("gpu", null, null);
        assertOnlyViolation("spec.tolerations[0].operator", "required");
    }

    @Test
    void priorityClassNameMustBeADnsSubdomain() {
        spec.setPriorityClassName("High");
        assertOnlyViolation("spec.priorityClassName", "PriorityClass name");
    }

    @Test
    void queueNameMustBeALabelValue() {
        spec.setQueueName("team a");
        assertOnlyViolation("spec.queueName", "LocalQueue name");
    }

    @Test
    void backoffLimitIsBounded() {
        spec.setBackoffLimit(101);
        assertOnlyViolation("spec.backoffLimit", "between 0 and 100");
    }

    @Test
    void activeDeadlineSecondsMustBePositive() {
        spec.setActiveDeadlineSeconds(0L);
        assertOnlyViolation("spec.activeDeadlineSeconds", ">= 1");
    }

    @Test
    void ttlSecondsAfterFinishedMustNotBeNegative() {
        spec.setTtlSecondsAfterFinished(-1);
        assertOnlyViolation("spec.ttlSecondsAfterFinished", ">= 0");
    }

    @Test
    void inAClusterTheOutputMustBeOnAVolume() {
        assertThat(violations()).isEmpty();
        assertThat(SpecValidator.validateForCluster(spec)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.output.path");
            assertThat(v.message()).contains("pvc://");
        });
        spec.getOutput().setPath("pvc://runs/out");
        assertThat(SpecValidator.validateForCluster(spec)).isEmpty();
    }
}
