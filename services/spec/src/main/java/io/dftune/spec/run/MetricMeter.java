package io.dftune.spec.run;

/**
 * How a reported metric is exported to Prometheus, in Micrometer's dotted form: the registry
 * writes {@code dftune.train.loss} as {@code dftune_train_loss}, with {@code _total} on counters
 * and {@code _seconds} on timers.
 *
 * @param kind a gauge holds the latest value; a counter adds each value; a timer records each as seconds
 */
public record MetricMeter(Kind kind, String name) {
    public enum Kind {
        GAUGE,
        COUNTER,
        TIMER
    }
}
