package io.dftune.operator.dependent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.operator.api.ClaimPaths;
import io.dftune.operator.api.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;

/**
 * The job file the trainer pod reads ({@code job.yaml} in the spec ConfigMap): the FineTuneJob's
 * run fields ({@link RunFields}) as they are, with pvc:// values replaced by the paths where the pod
 * mounts the claims. The cluster fields are left out: the trainer does not act on them, and leaving
 * them out keeps the file unchanged when only they change (suspend, backoffLimit, ...).
 */
public final class TrainerManifest {
    public static final String FILE_NAME = "job.yaml";

    private TrainerManifest() {}

    public static String yaml(FineTuneJob job) {
        ObjectNode run = RunFields.of(job.getSpec());
        RunFields.mapPvcPaths(run, ClaimPaths::podPath);
        io.dftune.spec.FineTuneJob manifest =
                io.dftune.spec.FineTuneJob.of(job.getMetadata().getName(), RunFields.toSpec(run));
        manifest.getMetadata().setNamespace(job.getMetadata().getNamespace());
        return FineTuneJobFiles.toYaml(manifest);
    }
}
