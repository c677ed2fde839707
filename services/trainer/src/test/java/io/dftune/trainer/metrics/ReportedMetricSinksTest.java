package io.dftune.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.train.MetricsLog;
import io.dftune.engine.train.StepMetrics;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.MetricMeter;
import io.dftune.spec.run.MetricSummary;
import io.dftune.spec.run.ReportedMetric;
import io.dftune.spec.run.StepMetric;
import io.dftune.trainer.service.ProtoMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step and evaluation metric reaches every place its description names: metrics.jsonl and
 * the gRPC message under its key, its Prometheus meter, the summary line. The reports are filled
 * with a distinct value per field, so a sink that drops or swaps a metric fails here.
 */
class ReportedMetricSinksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final StepMetrics step = distinct(StepMetrics.class);
    private final EvalMetrics eval = distinct(EvalMetrics.class);

    @Test
    void eachMetricReadsTheReportFieldOfItsName() throws Exception {
        for (StepMetric metric : StepMetric.values()) {
            assertThat(step.value(metric)).as(metric.key()).hasValue(field(step, metric));
        }
        for (EvalMetric metric : EvalMetric.values()) {
            assertThat(eval.value(metric)).as(metric.key()).hasValue(field(eval, metric));
        }
    }

    @Test
    void metricsJsonlHoldsEveryMetricUnderItsKey() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = new MetricsLog(file, 0)) {
            log.append(step);
            log.append(eval);
        }
        List<String> lines = Files.readAllLines(file);
        assertHolds(JSON.readTree(lines.get(0)), StepMetric.values(), step::value);
        assertHolds(JSON.readTree(lines.get(1)), EvalMetric.values(), eval::value);
    }

    @Test
    void theGrpcMessagesHoldEveryMetricAndNothingElse() {
        assertCarries(ProtoMessages.train(step), StepMetric.values(), step::value);
        assertCarries(ProtoMessages.eval(eval), EvalMetric.values(), eval::value);
    }

    @Test
    void everyMeterReadsItsMetric() {
        MeterRegistry registry = new SimpleMeterRegistry();
        RunMeters meters = new RunMeters(registry, "j", "ns", "dft", () -> io.dftune.proto.v1.Phase.PHASE_TRAINING);
        meters.onStep(step);
        meters.onEval(eval);
        assertMeters(registry, StepMetric.values(), step::value);
        assertMeters(registry, EvalMetric.values(), eval::value);
    }

    @Test
    void theSummaryShowsExactlyTheMetricsWithASummaryPattern() {
        assertSummary(MetricSummary.of(StepMetric.values(), step::value), StepMetric.values(), step::value);
        assertSummary(MetricSummary.of(EvalMetric.values(), eval::value), EvalMetric.values(), eval::value);
    }

    private static <M extends ReportedMetric> void assertHolds(
            JsonNode line, M[] metrics, Function<M, OptionalDouble> values) {
        for (M metric : metrics) {
            assertThat(line.has(metric.key())).as(metric.key()).isTrue();
            assertThat(line.get(metric.key()).asDouble())
                    .as(metric.key())
                    .isEqualTo(values.apply(metric).getAsDouble());
        }
    }

    private static <M extends ReportedMetric> void assertCarries(
            Message message, M[] metrics, Function<M, OptionalDouble> values) {
        List<String> keys = Arrays.stream(metrics).map(ReportedMetric::key).toList();
        assertThat(message.getDescriptorForType().getFields().stream()
                        .map(Descriptors.FieldDescriptor::getName)
                        .toList())
                .as("fields of %s", message.getDescriptorForType().getName())
                .containsExactlyInAnyOrderElementsOf(keys);
        for (M metric : metrics) {
            Object value = message.getField(message.getDescriptorForType().findFieldByName(metric.key()));
            assertThat(((Number) value).doubleValue())
                    .as(metric.key())
                    .isEqualTo(values.apply(metric).getAsDouble());
        }
    }

    private static <M extends ReportedMetric> void assertMeters(
            MeterRegistry registry, M[] metrics, Function<M, OptionalDouble> values) {
        for (M metric : metrics) {
            if (metric.info().meter().isEmpty()) {
                continue;
            }
            MetricMeter meter = metric.info().meter().get();
            double expected = values.apply(metric).getAsDouble();
            double actual =
                    switch (meter.kind()) {
                        case GAUGE -> registry.get(meter.name()).gauge().value();
                        case COUNTER -> registry.get(meter.name()).counter().count();
                        case TIMER -> registry.get(meter.name()).timer().totalTime(TimeUnit.NANOSECONDS) / 1e9;
                    };
            assertThat(actual).as(meter.name()).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
            assertThat(registry.get(meter.name()).meter().getId().getDescription())
                    .as(meter.name())
                    .startsWith(metric.info().description());
        }
    }

    private static <M extends ReportedMetric> void assertSummary(
            String summary, M[] metrics, Function<M, OptionalDouble> values) {
        String expected = Arrays.stream(metrics)
                .filter(m -> m.info().summary().isPresent())
                .map(m -> String.format(
                        m.info().summary().get(),
                        m.info().integral()
                                ? (Object) (long) values.apply(m).getAsDouble()
                                : (Object) values.apply(m).getAsDouble()))
                .collect(Collectors.joining(", "));
        assertThat(summary).isEqualTo(expected);
        assertThat(summary).as("a summary shows something").isNotBlank();
    }

    /** A report whose every field holds a different number (whole numbers for whole-number fields). */
    private static <R extends Record> R distinct(Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = types[i] == long.class
                    ? (Object) (long) (i + 3)
                    : types[i] == int.class ? (Object) (i + 3) : (Object) (i + 3 + 0.125 * (i + 1));
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static double field(Record report, ReportedMetric metric) throws ReflectiveOperationException {
        return ((Number) report.getClass().getMethod(metric.statusField()).invoke(report)).doubleValue();
    }
}
