package io.dftune.trainer.cluster;

import io.dftune.trainer.experiment.ExperimentPlan;
import io.dftune.trainer.experiment.ExperimentPlanException;
import io.dftune.trainer.experiment.RunKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names and labels of an experiment's FineTuneJobs: {@code <experiment>-<arm>-lr<i>-s<seed>}, with
 * {@code i} the rate's place in {@code learningRates}, so a restarted command finds the jobs it made.
 */
final class RunNames {
    static final String EXPERIMENT = "dftune.io/experiment";
    static final String ARM = "dftune.io/arm";
    static final String RATE_INDEX = "dftune.io/learning-rate-index";
    static final String SEED = "dftune.io/seed";
    /** A hash of the spec the job was created with, so a job of another experiment of the same name is not taken for ours. */
    static final String SPEC_HASH = "dftune.io/experiment-spec";
    /** Why the command stopped the run early. */
    static final String STOPPED_EARLY = "dftune.io/stopped-early";
    /** The operator's limit: {@code <name>-trainer} names a Service, a DNS-1035 label of 63 characters. */
    static final int MAX_NAME_LENGTH = 55;

    private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private final ExperimentPlan plan;

    /** @throws ExperimentPlanException a run's name would not be a valid FineTuneJob name */
    RunNames(ExperimentPlan plan) {
        this.plan = plan;
        for (ExperimentPlan.Arm arm : plan.arms()) {
            for (int i = 0; i < plan.learningRates().size(); i++) {
                for (long seed : plan.seeds()) {
                    String name =
                            name(new RunKey(arm.name(), plan.learningRates().get(i), seed));
                    if (name.length() > MAX_NAME_LENGTH
                            || !DNS_1035.matcher(name).matches()) {
                        throw new ExperimentPlanException(plan.file() + ": name: the FineTuneJob name \"" + name
                                + "\" (name-arm-lrN-sSEED) must be a DNS-1035 label of at most " + MAX_NAME_LENGTH
                                + " characters (start with a letter; lower-case letters, digits, '-'); set a"
                                + " shorter name: in the experiment file");
                    }
                }
            }
        }
    }

    String experiment() {
        return plan.name();
    }

    String name(RunKey key) {
        long seed = key.seed();
        return plan.name() + "-" + key.arm() + "-lr" + plan.learningRates().indexOf(key.learningRate()) + "-s"
                + (seed < 0 ? "m" + -seed : Long.toString(seed));
    }

    Map<String, String> labels(RunKey key) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(EXPERIMENT, plan.name());
        labels.put(ARM, key.arm());
        labels.put(RATE_INDEX, Integer.toString(plan.learningRates().indexOf(key.learningRate())));
        labels.put(SEED, name(key).substring(name(key).lastIndexOf("-s") + 2));
        return labels;
    }

    /** The run a job's name stands for, if it is one of this experiment's. */
    Optional<RunKey> key(String jobName) {
        for (ExperimentPlan.Arm arm : plan.arms()) {
            for (double rate : plan.learningRates()) {
                for (long seed : plan.seeds()) {
                    RunKey key = new RunKey(arm.name(), rate, seed);
                    if (name(key).equals(jobName)) {
                        return Optional.of(key);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
