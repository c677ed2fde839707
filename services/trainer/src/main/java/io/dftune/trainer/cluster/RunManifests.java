package io.dftune.trainer.cluster;

import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.JobMetadata;
import io.dftune.spec.LocalVolumes;
import io.dftune.spec.SpecValidator;
import io.dftune.spec.StoragePaths;
import io.dftune.trainer.experiment.ExperimentPlan;
import io.dftune.trainer.experiment.ExperimentPlanException;
import io.dftune.trainer.experiment.RunKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The FineTuneJob of each run: the experiment's job template (a cluster manifest, {@code pvc://}
 * paths) with the arm's objective and training set, the run's learning rate and seed, the
 * validation set as {@code data.eval} (evaluated whole: before training, every {@code
 * training.evalEverySteps} and at the end), and its output in {@code runs/<arm>/lr-<rate>/seed-<seed>}
 * below the template's output path. The experiment's own files are local paths; {@code volumes}
 * says which claim holds each on the cluster.
 */
final class RunManifests {
    private final ExperimentPlan plan;
    private final RunNames names;
    private final String namespace;
    private final String queue;
    private final String validation;
    private final LocalVolumes volumes;

    RunManifests(ExperimentPlan plan, RunNames names, LocalVolumes volumes, String namespace, String queue) {
        this.plan = plan;
        this.names = names;
        this.namespace = namespace;
        this.queue = queue;
        this.volumes = volumes;
        this.validation = onClaim("validation", plan.validation());
        FineTuneJobSpec spec = template().getSpec();
        if (!StoragePaths.isPvc(spec.getOutput().getPath())) {
            throw new ExperimentPlanException(plan.job() + ": output.path: a cluster experiment writes its runs to"
                    + " a claim: a pvc:// path, got \"" + spec.getOutput().getPath() + "\"");
        }
        for (int i = 0; i < plan.arms().size(); i++) {
            if (plan.arms().get(i).train() != null) {
                onClaim("arms[" + i + "].train", plan.arms().get(i).train());
            }
        }
    }

    FineTuneJob manifest(RunKey key) {
        ExperimentPlan.Arm arm = plan.arms().stream()
                .filter(a -> a.name().equals(key.arm()))
                .findFirst()
                .orElseThrow();
        FineTuneJob job = template();
        FineTuneJobSpec spec = job.getSpec();
        spec.setObjective(arm.objective());
        if (arm.train() != null) {
            spec.getData().setTrain(onClaim("train", arm.train()));
        }
        spec.getData().setEval(validation);
        spec.getTraining().setLearningRate(key.learningRate());
        spec.getTraining().setSeed(key.seed());
        spec.getTraining().setEvalMaxExamples(0);
        spec.getOutput().setPath(spec.getOutput().getPath().replaceFirst("/*$", "") + "/" + key.relativeDirectory());
        if (queue != null) {
            spec.setQueueName(queue);
        }
        spec.setSuspend(false);
        SpecValidator.validateOrThrow(spec);
        JobMetadata metadata = new JobMetadata();
        metadata.setName(names.name(key));
        metadata.setNamespace(namespace);
        metadata.setLabels(names.labels(key));
        job.setMetadata(metadata);
        Map<String, String> annotations = new HashMap<>();
        annotations.put(RunNames.SPEC_HASH, hash(FineTuneJobFiles.toJson(job)));
        metadata.setAnnotations(annotations);
        return job;
    }

    private FineTuneJob template() {
        return FineTuneJobFiles.load(plan.job());
    }

    private String onClaim(String field, Path file) {
        return volumes.claimPath(file)
                .orElseThrow(() -> new ExperimentPlanException(plan.file() + ": " + field + ": " + file
                        + " is in no folder given with --volume CLAIM=DIR; on the cluster, the trainers read it"
                        + " from a claim: give the folder that holds the claim's copy"));
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
