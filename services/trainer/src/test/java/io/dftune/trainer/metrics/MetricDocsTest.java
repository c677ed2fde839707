package io.dftune.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.ReportedMetric;
import io.dftune.spec.run.StepMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The user docs name every metric the trainer reports. */
class MetricDocsTest {
    private static final Path DOCS = Path.of("../../docs");

    @Test
    void metricsMdNamesEveryPrometheusMetric() throws IOException {
        String doc = Files.readString(DOCS.resolve("metrics.md"));
        for (String name : TrainerMetrics.prometheusNames()) {
            String documented = name.replaceAll("_seconds_count$", "_seconds");
            assertThat(doc).as(name).contains("`" + documented);
        }
    }

    @Test
    void trainingMdNamesEveryMetricsJsonlKey() throws IOException {
        String doc = Files.readString(DOCS.resolve("training.md"));
        Stream.concat(Stream.of(StepMetric.values()), Stream.of(EvalMetric.values()))
                .map(ReportedMetric::key)
                .forEach(key -> assertThat(doc).as(key).contains("`" + key + "`"));
    }
}
