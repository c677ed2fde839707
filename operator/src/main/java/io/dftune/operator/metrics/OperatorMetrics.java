package io.dftune.operator.metrics;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every metric the operator itself exports (the Java Operator SDK adds its own beside them), in
 * Micrometer's dotted form; the Prometheus names are the {@code PROMETHEUS_*} constants. The Helm
 * chart's dashboards and alert rules refer to those.
 */
@Singleton
public class OperatorMetrics {
    /** Counter, tag {@link #TAG_RESULT}: reconciliations of FineTuneJobs. */
    public static final String RECONCILIATIONS = "dftune.operator.reconciliations";
    /** Gauge, tag {@link #TAG_PHASE}: FineTuneJobs by status.phase (every phase, 0 included). */
    public static final String FINETUNEJOBS = "dftune.operator.finetunejobs";
    /** Counter, tags {@link #TAG_NAMESPACE} and {@link #TAG_JOB}: trainer pods replaced after a failure or preemption. */
    public static final String RESTARTS = "dftune.operator.restarts";

    public static final String PROMETHEUS_RECONCILIATIONS = "dftune_operator_reconciliations_total";
    public static final String PROMETHEUS_FINETUNEJOBS = "dftune_operator_finetunejobs";
    public static final String PROMETHEUS_RESTARTS = "dftune_operator_restarts_total";

    public static final String TAG_RESULT = "result";
    public static final String RESULT_SUCCESS = "success";
    public static final String RESULT_ERROR = "error";
    public static final String TAG_PHASE = "phase";
    public static final String TAG_NAMESPACE = "namespace";
    public static final String TAG_JOB = "job";

    private final MeterRegistry registry;
    private final Counter successes;
    private final Counter errors;
    /** namespace/name -> phase, of every FineTuneJob reconciled and not deleted since. */
    private final Map<String, Phase> phases = new ConcurrentHashMap<>();

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.successes = Counter.builder(RECONCILIATIONS)
                .tag(TAG_RESULT, RESULT_SUCCESS)
                .description("FineTuneJob reconciliations")
                .register(registry);
        this.errors = Counter.builder(RECONCILIATIONS)
                .tag(TAG_RESULT, RESULT_ERROR)
                .description("FineTuneJob reconciliations")
                .register(registry);
        for (Phase phase : Phase.values()) {
            Gauge.builder(FINETUNEJOBS, phases, p -> p.values().stream()
                            .filter(phase::equals)
                            .count())
                    .tag(TAG_PHASE, phase.name())
                    .description("FineTuneJobs by phase")
                    .register(registry);
        }
    }

    /** The names as Prometheus exposes them. */
    public static List<String> prometheusNames() {
        return Arrays.asList(PROMETHEUS_RECONCILIATIONS, PROMETHEUS_FINETUNEJOBS, PROMETHEUS_RESTARTS);
    }

    public void reconciled(boolean success) {
        (success ? successes : errors).increment();
    }

    public void phase(FineTuneJob job, Phase phase) {
        phases.put(key(job), phase);
    }

    public void restarted(FineTuneJob job, int count) {
        restartCounter(job).increment(count);
    }

    /** Forgets a deleted FineTuneJob: its phase and its restart series. */
    public void deleted(FineTuneJob job) {
        phases.remove(key(job));
        registry.remove(restartCounter(job));
    }

    private Counter restartCounter(FineTuneJob job) {
        return Counter.builder(RESTARTS)
                .tags(Tags.of(
                        TAG_NAMESPACE,
                        job.getMetadata().getNamespace(),
                        TAG_JOB,
                        job.getMetadata().getName()))
                .description("Trainer pods replaced after a failure or preemption")
                .register(registry);
    }

    private static String key(FineTuneJob job) {
        return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    }
}
