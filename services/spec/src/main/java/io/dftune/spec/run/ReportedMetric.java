package io.dftune.spec.run;

import java.util.Locale;
import java.util.Optional;

/**
 * One number a run reports, described once for every place it goes. {@code metrics.jsonl} and
 * the trainer's gRPC messages carry every metric under its {@link #key()}; the other places show
 * the metrics their description names: a Prometheus meter, the one-line summary (progress line,
 * pod log) and the FineTuneJob status (under the key in camelCase).
 */
public interface ReportedMetric {
    /** snake_case: the {@code metrics.jsonl} key and the gRPC message's field name. */
    String key();

    /** Whether the value is a whole number (written without a fraction). */
    boolean integral();

    /** What it means, with its unit: Prometheus' HELP text and the docs' wording. */
    String description();

    /** The Prometheus meter that exports it, if any. */
    Optional<MetricMeter> meter();

    /**
     * How the one-line summary (progress line, pod log) shows it, if it does: a {@link String#format}
     * pattern with the label, e.g. {@code "loss %.4f"}; whole-number metrics are formatted as
     * {@code long}, the others as {@code double}.
     */
    Optional<String> summary();

    /** Whether the FineTuneJob status holds it. */
    boolean inStatus();

    /** The key in camelCase: the FineTuneJob status' field name. */
    default String statusField() {
        String[] words = key().split("_");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(words[i].substring(0, 1).toUpperCase(Locale.ROOT)).append(words[i].substring(1));
        }
        return name.toString();
    }
}
