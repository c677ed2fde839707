package io.dftune.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.dftune.operator.api.MetricsStatus;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.TrainMetrics;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.ReportedMetric;
import io.dftune.spec.run.StepMetric;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every metric whose description says it is shown in the FineTuneJob status reaches it, under its
 * status name and with the trainer's value; no other metric does.
 */
class StatusMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theStatusShowsExactlyTheMetricsDescribedAsShownThere() {
        TrainMetrics train = (TrainMetrics) distinctValues(TrainMetrics.newBuilder(), 1);
        EvalMetrics eval = (EvalMetrics) distinctValues(EvalMetrics.newBuilder(), 101);

        JsonNode status = JSON.valueToTree(StatusMapping.metrics(train, eval, null));

        assertShown(status, StepMetric.values(), train);
        assertShown(status.get("eval"), EvalMetric.values(), eval);
    }

    @Test
    void anUnsetOptionalMetricIsLeftOut() {
        EvalMetrics withoutAnswers = EvalMetrics.newBuilder().setNll(1.5).build();
        MetricsStatus status = StatusMapping.metrics(null, withoutAnswers, null);
        assertThat(status.eval.nll).isEqualTo(1.5);
        assertThat(status.eval.exactMatch).isNull();
    }

    private static void assertShown(JsonNode status, ReportedMetric[] metrics, Message message) {
        List<String> shown = Arrays.stream(metrics)
                .filter(m -> m.info().inStatus())
                .map(ReportedMetric::statusField)
                .toList();
        assertThat(status.properties().stream().map(e -> e.getKey()).filter(k -> !k.equals("eval")))
                .containsExactlyInAnyOrderElementsOf(shown);
        for (ReportedMetric metric : metrics) {
            if (metric.info().inStatus()) {
                FieldDescriptor field = message.getDescriptorForType().findFieldByName(metric.key());
                double expected = ((Number) message.getField(field)).doubleValue();
                assertThat(status.get(metric.statusField()).asDouble())
                        .as(metric.statusField())
                        .isEqualTo(expected);
            }
        }
    }

    /** Each numeric field set to its own value (start, start + 1, ...), exactly representable. */
    private static Message distinctValues(Message.Builder builder, int start) {
        int value = start;
        for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
            switch (field.getJavaType()) {
                case LONG -> builder.setField(field, (long) value++);
                case INT -> builder.setField(field, value++);
                case DOUBLE -> builder.setField(field, value++ + 0.25);
                default -> {}
            }
        }
        return builder.build();
    }
}
