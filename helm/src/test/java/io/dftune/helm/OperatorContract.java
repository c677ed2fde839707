package io.dftune.helm;

import java.util.Map;
import java.util.Set;

/** What the chart relies on from the operator: its metric names and the trainer pods it creates. */
final class OperatorContract {
    private OperatorContract() {}

    /** The Prometheus names of the operator's own metrics. */
    static Set<String> metricNames() {
        return Set.of("dftune_operator_reconciliations_total", "dftune_operator_finetunejobs",
                "dftune_operator_restarts_total");
    }

    /** The labels of a trainer pod of the FineTuneJob {@code job}. */
    static Map<String, String> trainerPodLabels(String job) {
        return Map.of("app.kubernetes.io/name", "dftune-trainer", "app.kubernetes.io/managed-by", "dftune-operator",
                "app.kubernetes.io/instance", job, "dftune.io/job", job);
    }

    /** UID and GID of the trainer container. */
    static long trainerUser() {
        return 1000;
    }

    /** Where the trainer image keeps DJL's native libraries. */
    static String djlCache() {
        return "/opt/djl";
    }
}
