package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A FineTuneJob copied from a cluster runs locally: server-set fields are ignored, pvc:// paths mapped. */
class ClusterCopyTest {
    /** What {@code kubectl get ftj arithmetic-dft -o yaml} prints for a job the operator has run. */
    private static final String FROM_CLUSTER =
            """
            apiVersion: dftune.io/v1alpha1
            kind: FineTuneJob
            metadata:
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: |
                  {"apiVersion":"dftune.io/v1alpha1","kind":"FineTuneJob"}
              creationTimestamp: "2026-12-01T08:17:52Z"
              finalizers:
              - finetunejobs.dftune.io/finalizer
              generation: 2
              labels: {team: nlp}
              managedFields:
              - apiVersion: dftune.io/v1alpha1
                fieldsType: FieldsV1
                fieldsV1: {f:spec: {}}
                manager: kubectl-client-side-apply
                operation: Update
                time: "2026-12-01T08:17:52Z"
              name: arithmetic-dft
              namespace: team-a
              ownerReferences: []
              resourceVersion: "48213"
              uid: 0c7d0ef8-5a39-4e4c-9a51-2d0a46e0f1b3
            spec:
              model: {path: pvc://dftune-examples/arithmetic/model}
              data: {train: pvc://dftune-examples/arithmetic/train.jsonl, eval: pvc://data/eval.jsonl}
              objective: {type: dft}
              training: {maxSteps: 150, batchSize: 16}
              output: {path: pvc://runs/arithmetic-dft}
            status:
              phase: Succeeded
              observedGeneration: 2
              conditions:
              - {type: Ready, status: "True", reason: Succeeded, lastTransitionTime: "2026-12-01T08:19:01Z"}
              progress: {step: 150, totalSteps: 150, percent: 100}
            """;

    @Test
    void serverSetMetadataAndStatusAreIgnored() {
        FineTuneJob job = FineTuneJobFiles.parse(FROM_CLUSTER, Path.of("/"));
        assertThat(job.getMetadata().getName()).isEqualTo("arithmetic-dft");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "nlp");
        assertThat(job.getSpec().getTraining().getMaxSteps()).isEqualTo(150);
    }

    @Test
    void unknownFieldsInsideSpecOrMetadataAreStillErrors() {
        assertThatThrownBy(() -> FineTuneJobFiles.parse(
                        FROM_CLUSTER.replace("objective: {type: dft}", "objective: {type: dft, weight: 2}"),
                        Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("unknown field spec.objective.weight");
        assertThatThrownBy(() -> FineTuneJobFiles.parse(
                        FROM_CLUSTER.replace("labels: {team: nlp}", "lables: {team: nlp}"), Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("unknown field metadata.lables");
    }

    @Test
    void volumesMapEveryPvcPathOntoItsClaimsFolder() {
        FineTuneJobSpec spec =
                FineTuneJobFiles.parse(FROM_CLUSTER, Path.of("/")).getSpec();
        LocalVolumes.parse(List.of("dftune-examples=/srv/examples", "data=/srv/data/", "runs=/tmp/runs"))
                .apply(spec);
        assertThat(spec.getModel().getPath()).isEqualTo("/srv/examples/arithmetic/model");
        assertThat(spec.getData().getTrain()).isEqualTo("/srv/examples/arithmetic/train.jsonl");
        assertThat(spec.getData().getEval()).isEqualTo("/srv/data/eval.jsonl");
        assertThat(spec.getOutput().getPath()).isEqualTo("/tmp/runs/arithmetic-dft");
    }

    @Test
    void aClaimWithoutAFolderIsNamedWithItsField() {
        FineTuneJobSpec spec =
                FineTuneJobFiles.parse(FROM_CLUSTER, Path.of("/")).getSpec();
        assertThatThrownBy(() -> LocalVolumes.parse(List.of("dftune-examples=/srv/examples", "data=/srv/data"))
                        .apply(spec))
                .isInstanceOf(ManifestException.class)
                .hasMessage("spec.output.path: \"pvc://runs/arithmetic-dft\" is on the claim runs, which has no"
                        + " local folder; run with --volume runs=DIR");
    }

    @Test
    void malformedMappingsAreRefused() {
        assertThatThrownBy(() -> LocalVolumes.parse(List.of("runs"))).hasMessageContaining("expected CLAIM=DIR");
        assertThatThrownBy(() -> LocalVolumes.parse(List.of("Runs=/x"))).hasMessageContaining("not a claim name");
        assertThatThrownBy(() -> LocalVolumes.parse(List.of("runs=/x", "runs=/y")))
                .hasMessageContaining("mapped twice");
    }
}
