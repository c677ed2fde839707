package io.dftune.spec.run;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/** The one-line summary of reported metrics that progress lines and logs show. */
public final class MetricSummary {
    private MetricSummary() {}

    /** Each metric with a summary pattern and a value, in the order given, joined by ", ". */
    public static <M extends ReportedMetric> String of(M[] metrics, Function<M, OptionalDouble> values) {
        List<String> parts = new ArrayList<>();
        for (M metric : metrics) {
            OptionalDouble value = values.apply(metric);
            if (metric.info().summary().isPresent() && value.isPresent()) {
                double v = value.getAsDouble();
                parts.add(String.format(
                        metric.info().summary().get(), metric.info().integral() ? (Object) (long) v : (Object) v));
            }
        }
        return String.join(", ", parts);
    }
}
