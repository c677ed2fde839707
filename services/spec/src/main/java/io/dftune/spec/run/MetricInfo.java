package io.dftune.spec.run;

import java.util.Optional;

/**
 * The description of one {@link ReportedMetric}, written as a chain:
 * {@code real("Mean NLL").gauge("dftune.train.nll").summary("nll %.3f").shownInStatus()}.
 *
 * @param integral whether the value is a whole number (written without a fraction)
 * @param description what it means, with its unit: Prometheus' HELP text
 * @param meter the Prometheus meter that exports it, if any
 * @param summary how the one-line summary shows it, if it does: a {@link String#format} pattern
 *     with the label, e.g. {@code "loss %.4f"}; whole numbers are formatted as {@code long}
 * @param inStatus whether the FineTuneJob status holds it
 */
public record MetricInfo(
        boolean integral, String description, Optional<MetricMeter> meter, Optional<String> summary, boolean inStatus) {

    static MetricInfo count(String description) {
        return new MetricInfo(true, description, Optional.empty(), Optional.empty(), false);
    }

    static MetricInfo real(String description) {
        return new MetricInfo(false, description, Optional.empty(), Optional.empty(), false);
    }

    MetricInfo gauge(String name) {
        return withMeter(new MetricMeter(MetricMeter.Kind.GAUGE, name));
    }

    MetricInfo counter(String name) {
        return withMeter(new MetricMeter(MetricMeter.Kind.COUNTER, name));
    }

    MetricInfo timer(String name) {
        return withMeter(new MetricMeter(MetricMeter.Kind.TIMER, name));
    }

    MetricInfo summary(String pattern) {
        return new MetricInfo(integral, description, meter, Optional.of(pattern), inStatus);
    }

    MetricInfo shownInStatus() {
        return new MetricInfo(integral, description, meter, summary, true);
    }

    private MetricInfo withMeter(MetricMeter m) {
        return new MetricInfo(integral, description, Optional.of(m), summary, inStatus);
    }
}
