package io.dftune.spec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one set of rules a FineTuneJobSpec must satisfy, shared by the CLI, the trainer and the
 * operator. Fields are named by their manifest path, e.g. {@code spec.training.batchSize}.
 * Unset microBatchSize and null sections count as their defaults; the spec is not modified.
 */
public final class SpecValidator {
    private static final double NO_MAX = Double.POSITIVE_INFINITY;

    private SpecValidator() {}

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
            if (spec.getEval() != null) {
                eval(v, spec.getEval());
            }
            if (spec.getCheckpoint() != null) {
                checkpoint(v, spec.getCheckpoint());
            }
            if (spec.getAdapter() != null) {
                adapter(v, spec.getAdapter());
            }
            output(v, spec.getOutput());
            if (spec.getOutput() != null
                    && spec.getOutput().isMergeAdapter()
                    && (spec.getAdapter() == null || !spec.getAdapter().isLora())) {
                v.add("spec.output.mergeAdapter", "needs spec.adapter.type lora: there is no adapter to merge");
            }

            cluster(v, spec);
        }
        return v.toList();
    }

    /**
     * The rules of {@link #validate} plus those that only hold in a cluster: the output must be a
     * {@code pvc://} path, since a pod's own filesystem is lost when it ends and a restarted pod
     * resumes from the checkpoints there.
     */
    public static List<Violation> validateForCluster(FineTuneJobSpec spec) {
        List<Violation> violations = new ArrayList<>(validate(spec));
        if (spec != null
                && spec.getOutput() != null
                && spec.getOutput().getPath() != null
                && !spec.getOutput().getPath().isBlank()
                && !StoragePaths.isPvc(spec.getOutput().getPath())) {
            violations.add(new Violation(
                    "spec.output.path",
                    "must be pvc://<claim>/<path> in a cluster: checkpoints and the model must outlive the pod (got \""
                            + spec.getOutput().getPath() + "\")"));
        }
        return List.copyOf(violations);
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
            v.atLeast("spec.data.maxExamples", data.getMaxExamples(), 0);
            if (data.getColumns() != null) {
                columns(v, data.getColumns());
            }
        }
    }

    /** Known names, each mapped to its own column, all of one record layout. */
    private static void columns(Violations v, Map<String, String> columns) {
        Map<String, String> nameOfColumn = new HashMap<>();
        Map<DataColumn.Layout, String> layouts = new EnumMap<>(DataColumn.Layout.class);
        for (Map.Entry<String, String> e : columns.entrySet()) {
            String field = "spec.data.columns." + e.getKey();
            Optional<DataColumn> known = DataColumn.byKey(e.getKey());
            if (known.isEmpty()) {
                v.add(field, "unknown name \"" + e.getKey() + "\"; dftune's names are " + DataColumn.keys());
                continue;
            }
            String column = e.getValue();
            if (column == null || column.isBlank()) {
                v.add(field, "must name a column of the dataset");
                continue;
            }
            String other = nameOfColumn.putIfAbsent(column, e.getKey());
            if (other != null) {
                v.add(
                        field,
                        "maps to column \"" + column + "\" as spec.data.columns." + other + " does; "
                                + "each name needs its own column");
            }
            known.get().layout().ifPresent(layout -> layouts.putIfAbsent(layout, e.getKey()));
        }
        if (layouts.size() > 1) {
            List<String> names = new ArrayList<>();
            layouts.forEach((layout, key) -> names.add(key + " (" + layout.label() + ")"));
            v.add(
                    "spec.data.columns",
                    "maps columns of different record layouts: " + String.join(", ", names)
                            + "; a dataset uses one layout");
        }
    }

    private static void output(Violations v, OutputSpec output) {
        if (v.present("spec.output", output)) {
            v.path("spec.output.path", output.getPath(), true);
            v.present("spec.output.dtype", output.getDtype());
            if (v.present("spec.output.maxShardSize", output.getMaxShardSize())) {
                ByteSizes.problem(output.getMaxShardSize()).ifPresent(p -> v.add("spec.output.maxShardSize", p));
            }
        }
    }

    private static void adapter(Violations v, AdapterSpec a) {
        v.present("spec.adapter.type", a.getType());
        v.path("spec.adapter.path", a.getPath(), false);
        if (!a.isLora() && a.getPath() != null) {
            v.add("spec.adapter.path", "needs spec.adapter.type lora");
        }
        v.between("spec.adapter.rank", a.getRank(), 1, 1024);
        v.number("spec.adapter.alpha", a.getAlpha(), 0, false, NO_MAX, false);
        v.number("spec.adapter.dropout", a.getDropout(), 0, true, 1, false);
        List<String> modules = a.getTargetModules();
        if (modules == null) {
            return;
        }
        if (modules.isEmpty()) {
            v.add("spec.adapter.targetModules", "must name at least one layer, or [all-linear]");
        } else if (modules.contains(AdapterSpec.ALL_LINEAR) && modules.size() > 1) {
            v.add("spec.adapter.targetModules", "all-linear already names every layer; give it alone");
        } else {
            for (String module : modules) {
                if (!module.equals(AdapterSpec.ALL_LINEAR) && !AdapterSpec.LINEAR_MODULES.contains(module)) {
                    v.add(
                            "spec.adapter.targetModules",
                            "unknown layer \"" + module + "\"; known: " + String.join(", ", AdapterSpec.LINEAR_MODULES)
                                    + ", all-linear");
                }
            }
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
        v.atLeast("spec.training.evalMaxExamples", t.getEvalMaxExamples(), 0);
        v.present("spec.training.precision", t.getPrecision());
    }

    /** The rules of {@code spec.eval} alone, for commands that take evaluation settings as options. */
    public static List<Violation> validateEval(EvalSpec eval) {
        Violations v = new Violations();
        eval(v, eval);
        return v.toList();
    }

    private static void eval(Violations v, EvalSpec e) {
        v.atLeast("spec.eval.maxNewTokens", e.getMaxNewTokens(), 1);
        v.atLeast("spec.eval.samples", e.getSamples(), 0);
        v.number("spec.eval.temperature", e.getTemperature(), 0, false, NO_MAX, false);
        v.number("spec.eval.topP", e.getTopP(), 0, false, 1, true);
        v.present("spec.eval.extract", e.getExtract());
        v.present("spec.eval.compare", e.getCompare());
        if (e.getPattern() != null) {
            v.regex("spec.eval.pattern", e.getPattern());
        } else if (e.getExtract() == AnswerExtraction.REGEX) {
            v.add("spec.eval.pattern", "required with extract regex");
        }
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
            v.add("spec.training.microBatchSize", "must be <= batchSize " + t.getBatchSize() + " (got " + micro + ")");
        } else if (t.getBatchSize() % micro != 0) {
            v.add("spec.training.microBatchSize", "must divide batchSize " + t.getBatchSize() + " (got " + micro + ")");
        }
    }

    private static void cluster(Violations v, FineTuneJobSpec s) {
        if (s.getImage() != null
                && (s.getImage().isBlank() || s.getImage().chars().anyMatch(Character::isWhitespace))) {
            v.add("spec.image", "must be an image reference without spaces (got \"" + s.getImage() + "\")");
        }
        if (s.getResources() != null) {
            ResourcesSpec r = s.getResources();
            if (r.getGpus() < 0 || r.getGpus() > 1) {
                v.add(
                        "spec.resources.gpus",
                        "must be 0 (CPU) or 1: the trainer trains on one device, so more GPUs would " + "sit idle (got "
                                + r.getGpus() + ")");
            }
            v.quantity("spec.resources.cpu", r.getCpu());
            v.quantity("spec.resources.memory", r.getMemory());
        }
        if (s.getNodeSelector() != null) {
            for (Map.Entry<String, String> e : s.getNodeSelector().entrySet()) {
                String field = "spec.nodeSelector[" + e.getKey() + "]";
                v.name(
                        field,
                        e.getKey(),
                        ClusterNames.LABEL_KEY_PATTERN,
                        ClusterNames.DNS_SUBDOMAIN_MAX,
                        "a label key such as kubernetes.io/arch");
                if (e.getValue() != null && !e.getValue().isEmpty()) {
                    v.name(
                            field,
                            e.getValue(),
                            ClusterNames.LABEL_VALUE_PATTERN,
                            ClusterNames.LABEL_VALUE_MAX,
                            "a label value");
                }
            }
        }
        if (s.getTolerations() != null) {
            for (int i = 0; i < s.getTolerations().size(); i++) {
                toleration(v, "spec.tolerations[" + i + "]", s.getTolerations().get(i));
            }
        }
        v.name(
                "spec.priorityClassName",
                s.getPriorityClassName(),
                ClusterNames.DNS_SUBDOMAIN_PATTERN,
                ClusterNames.DNS_SUBDOMAIN_MAX,
                "a PriorityClass name (lowercase DNS subdomain)");
        v.name(
                "spec.queueName",
                s.getQueueName(),
                ClusterNames.LABEL_VALUE_PATTERN,
                ClusterNames.LABEL_VALUE_MAX,
                "a Kueue LocalQueue name (a label value)");
        v.between("spec.backoffLimit", s.getBackoffLimit(), 0, 100);
        if (s.getActiveDeadlineSeconds() != null) {
            v.atLeast("spec.activeDeadlineSeconds", s.getActiveDeadlineSeconds(), 1);
        }
        if (s.getTtlSecondsAfterFinished() != null) {
            v.atLeast("spec.ttlSecondsAfterFinished", s.getTtlSecondsAfterFinished(), 0);
        }
    }

    private static void toleration(Violations v, String field, TolerationSpec t) {
        if (!v.present(field, t)) {
            return;
        }
        v.present(field + ".operator", t.getOperator());
        boolean hasKey = t.getKey() != null && !t.getKey().isEmpty();
        if (hasKey) {
            v.name(
                    field + ".key",
                    t.getKey(),
                    ClusterNames.LABEL_KEY_PATTERN,
                    ClusterNames.DNS_SUBDOMAIN_MAX,
                    "a taint key");
        } else if (t.getOperator() == TolerationSpec.Operator.EQUAL) {
            v.add(field + ".key", "required with operator Equal (only Exists may tolerate every key)");
        }
        if (t.getOperator() == TolerationSpec.Operator.EXISTS
                && t.getValue() != null
                && !t.getValue().isEmpty()) {
            v.add(field + ".value", "must be empty when operator is Exists (got \"" + t.getValue() + "\")");
        }
        if (t.getTolerationSeconds() != null && t.getEffect() != TolerationSpec.Effect.NO_EXECUTE) {
            v.add(field + ".tolerationSeconds", "needs effect NoExecute");
        }
    }

    private static void checkpoint(Violations v, CheckpointSpec c) {
        v.atLeast("spec.checkpoint.everySteps", c.getEverySteps(), 0);
        v.atLeast("spec.checkpoint.keep", c.getKeep(), 1);
    }
}
