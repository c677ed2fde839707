package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.spec.DataSpec;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.ModelSpec;
import io.dftune.spec.OutputSpec;

/**
 * The job file the trainer pod reads ({@code job.yaml} in the spec ConfigMap): the FineTuneJob's
 * training part, with pvc:// values replaced by the paths where the pod mounts the claims. The
 * cluster fields are left out: the trainer does not act on them, and leaving them out keeps the
 * file unchanged when only they change (suspend, backoffLimit, ...).
 */
public final class TrainerManifest {
    public static final String FILE_NAME = "job.yaml";

    private TrainerManifest() {}

    public static String yaml(FineTuneJob job) {
        FineTuneJobSpec spec = job.getSpec();
        VolumeLayout layout = VolumeLayout.of(spec);
        FineTuneJobSpec training = new FineTuneJobSpec();
        ModelSpec model = new ModelSpec();
        model.setPath(layout.podPath(spec.getModel().getPath()));
        training.setModel(model);
        DataSpec data = new DataSpec();
        data.setTrain(layout.podPath(spec.getData().getTrain()));
        data.setEval(layout.podPath(spec.getData().getEval()));
        data.setShuffle(spec.getData().isShuffle());
        data.setAnswerMarker(spec.getData().getAnswerMarker());
        training.setData(data);
        training.setObjective(spec.getObjective());
        training.setTraining(spec.getTraining());
        training.setCheckpoint(spec.getCheckpoint());
        OutputSpec output = new OutputSpec();
        output.setPath(layout.podPath(spec.getOutput().getPath()));
        output.setDtype(spec.getOutput().getDtype());
        output.setMaxShardSize(spec.getOutput().getMaxShardSize());
        training.setOutput(output);
        io.dftune.spec.FineTuneJob manifest =
                io.dftune.spec.FineTuneJob.of(job.getMetadata().getName(), training);
        manifest.getMetadata().setNamespace(job.getMetadata().getNamespace());
        return FineTuneJobFiles.toYaml(manifest);
    }
}
