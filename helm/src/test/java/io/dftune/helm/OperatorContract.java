package io.dftune.helm;

import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.dependent.TrainerPod;
import io.dftune.operator.metrics.OperatorMetrics;

import java.util.Map;
import java.util.Set;

/** What the chart relies on from the operator, read from the operator's own classes. */
final class OperatorContract {
    private OperatorContract() {}

    /** The Prometheus names of the operator's own metrics. */
    static Set<String> metricNames() {
        return Set.copyOf(OperatorMetrics.prometheusNames());
    }

    /** The labels of a trainer pod of the FineTuneJob {@code job}. */
    static Map<String, String> trainerPodLabels(String job) {
        return ResourceNames.labels(job);
    }

    /** UID and GID of the trainer container. */
    static long trainerUser() {
        return TrainerPod.USER;
    }

    /** Where the trainer image keeps DJL's native libraries. */
    static String djlCache() {
        return TrainerPod.DJL_CACHE;
    }

    /** The trainer container's port (gRPC, /q/metrics, /q/health) and its name. */
    static int trainerPort() {
        return TrainerPod.PORT;
    }

    static String trainerPortName() {
        return TrainerPod.PORT_NAME;
    }
}
