package io.dftune.spec.run;

import java.util.Locale;

/**
 * One number a run reports, described once for every place it goes. {@code metrics.jsonl} and
 * the trainer's gRPC messages carry every metric under its {@link #key()}; the other places show
 * the metrics their {@link #info()} names: a Prometheus meter, the one-line summary (progress line,
 * pod log) and the FineTuneJob status (under the key in camelCase).
 */
public interface ReportedMetric {
    /** The enum constant's name. */
    String name();

    MetricInfo info();

    /** snake_case: the {@code metrics.jsonl} key and the gRPC message's field name. */
    default String key() {
        return name().toLowerCase(Locale.ROOT);
    }

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
