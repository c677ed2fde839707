package io.dftune.helm;

import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.config.OperatorConfig;
import io.dftune.operator.dependent.TrainerPod;
import io.dftune.operator.metrics.OperatorMetrics;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the chart relies on from the operator, read from the operator's own classes. */
final class OperatorContract {
    private OperatorContract() {}

    /** The Prometheus names of the operator's own metrics. */
    static Set<String> metricNames() {
        return Set.copyOf(OperatorMetrics.prometheusNames());
    }

    /**
     * The operator's settings as environment variables: every method of its {@code @ConfigMapping}
     * (nested groups included), {@code dftune.trainer.stop-grace-period} as
     * {@code DFTUNE_TRAINER_STOP_GRACE_PERIOD}.
     */
    static Set<String> settingVariables() {
        Set<String> variables = new TreeSet<>();
        collectSettings(OperatorConfig.class, "DFTUNE", variables);
        return variables;
    }

    private static void collectSettings(Class<?> group, String prefix, Set<String> variables) {
        for (Method method : group.getDeclaredMethods()) {
            String name = prefix + "_"
                    + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            if (method.getReturnType().isInterface()
                    && method.getReturnType().getEnclosingClass() == OperatorConfig.class) {
                collectSettings(method.getReturnType(), name, variables);
            } else {
                variables.add(name);
            }
        }
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
