package io.dftune.spec;

import java.util.List;

/**
 * The one set of rules a FineTuneJobSpec must satisfy, shared by the CLI, the trainer and the
 * operator. Fields are named by their manifest path, e.g. {@code spec.training.batchSize}.
 * Unset microBatchSize and null sections count as their defaults; the spec is not modified.
 */
public final class SpecValidator {
    private static final double NO_MAX = Double.POSITIVE_INFINITY;

    private SpecValidator() {
    }

    public static List<Violation> validate(FineTuneJobSpec spec) {
        Violations v = new Violations();
        if (v.present("spec", spec)) {
            model(v, spec.getModel());
            data(v, spec.getData());
            if (spec.getObjective() != null) {
                objective(v, spec.getObjective());
            }
            if (spec.getTraining() != null) {
                training(v, spec.getTraining());
            }
            if (spec.getCheckpoint() != null) {
                checkpoint(v, spec.getCheckpoint());
            }
            output(v, spec.getOutput());
        }
        return v.toList();
    }

    /** Throws {@link InvalidSpecException} listing every violation; returns the spec otherwise. */
    public static FineTuneJobSpec validateOrThrow(FineTuneJobSpec spec) {
        List<Violation> violations = validate(spec);
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        return spec;
    }

    private static void model(Violations v, ModelSpec model) {
        if (v.present("spec.model", model)) {
            v.path("spec.model.path", model.getPath(), true);
        }
    }

    private static void data(Violations v, DataSpec data) {
        if (v.present("spec.data", data)) {
            v.path("spec.data.train", data.getTrain(), true);
            v.path("spec.data.eval", data.getEval(), false);
        }
    }

    private static void output(Violations v, OutputSpec output) {
        if (v.present("spec.output", output)) {
            v.path("spec.output.path", output.getPath(), true);
        }
    }

    private static void objective(Violations v, ObjectiveSpec o) {
        v.present("spec.objective.type", o.getType());
        v.number("spec.objective.klWeight", o.getKlWeight(), 0, true, NO_MAX, false);
        v.number("spec.objective.q", o.getQ(), 0, false, 1, true);
        v.number("spec.objective.beta", o.getBeta(), 0, true, 1, true);
    }

    private static void training(Violations v, TrainingSpec t) {
        boolean stepsOk = v.atLeast("spec.training.maxSteps", t.getMaxSteps(), 0);
        boolean epochsOk = v.atLeast("spec.training.epochs", t.getEpochs(), 0);
        if (stepsOk && epochsOk && t.getMaxSteps() == 0 && t.getEpochs() == 0) {
            v.add("spec.training.epochs", "must be >= 1 when maxSteps is 0 (set maxSteps or epochs)");
        }
        batching(v, t);
        v.between("spec.training.maxLength", t.getMaxLength(), 8, 1_048_576);
        v.number("spec.training.learningRate", t.getLearningRate(), 0, false, 1, true);
        v.present("spec.training.schedule", t.getSchedule());
        v.number("spec.training.warmupRatio", t.getWarmupRatio(), 0, true, 1, false);
        v.number("spec.training.weightDecay", t.getWeightDecay(), 0, true, NO_MAX, false);
        v.number("spec.training.adamBeta1", t.getAdamBeta1(), 0, true, 1, false);
        v.number("spec.training.adamBeta2", t.getAdamBeta2(), 0, true, 1, false);
        v.number("spec.training.adamEpsilon", t.getAdamEpsilon(), 0, false, NO_MAX, false);
        v.number("spec.training.maxGradNorm", t.getMaxGradNorm(), 0, true, NO_MAX, false);
        v.atLeast("spec.training.evalEverySteps", t.getEvalEverySteps(), 0);
        v.atLeast("spec.training.evalMaxNewTokens", t.getEvalMaxNewTokens(), 1);
        v.atLeast("spec.training.evalMaxExamples", t.getEvalMaxExamples(), 0);
    }

    private static void batching(Violations v, TrainingSpec t) {
        boolean batchOk = v.atLeast("spec.training.batchSize", t.getBatchSize(), 1);
        Integer micro = t.getMicroBatchSize();
        if (micro == null) {
            return; // means batchSize: nothing of its own to check
        }
        if (!v.atLeast("spec.training.microBatchSize", micro, 1) || !batchOk) {
            return;
        }
        if (micro > t.getBatchSize()) {
            v.add("spec.training.microBatchSize",
                    "must be <= batchSize " + t.getBatchSize() + " (got " + micro + ")");
        } else if (t.getBatchSize() % micro != 0) {
            v.add("spec.training.microBatchSize",
                    "must divide batchSize " + t.getBatchSize() + " (got " + micro + ")");
        }
    }

    private static void checkpoint(Violations v, CheckpointSpec c) {
        v.atLeast("spec.checkpoint.everySteps", c.getEverySteps(), 0);
        v.atLeast("spec.checkpoint.keep", c.getKeep(), 1);
    }
}
