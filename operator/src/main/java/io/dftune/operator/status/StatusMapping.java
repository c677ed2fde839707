package io.dftune.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.dftune.operator.api.CheckpointStatus;
import io.dftune.operator.api.ClaimPaths;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.MemoryPlanStatus;
import io.dftune.operator.api.MetricsStatus;
import io.dftune.operator.api.ProgressStatus;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.TrainMetrics;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.ReportedMetric;
import io.dftune.spec.run.StepMetric;
import java.math.BigDecimal;
import java.math.MathContext;

/** The trainer's report in the status' terms; status copies and comparison. */
public final class StatusMapping {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Step metrics keep 5 significant digits: enough to read, and a status that does not churn in the
     * noise. Evaluations keep every digit: they change only when the trainer evaluates, and a report
     * made from the status (dftune compare --cluster) must equal one made from the run's own files.
     */
    private static final MathContext STEP_DIGITS = new MathContext(5);

    private StatusMapping() {}

    public static FineTuneJobStatus copy(FineTuneJobStatus status) {
        return JSON.convertValue(status, FineTuneJobStatus.class);
    }

    /** Whether two statuses would be written the same. */
    public static boolean same(FineTuneJobStatus a, FineTuneJobStatus b) {
        return JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }

    static void merge(FineTuneJobStatus s, RunSnapshot run) {
        if (run.phase() == Phase.PHASE_UNSPECIFIED || run.phase() == Phase.PHASE_IDLE) {
            return; // nothing reported yet
        }
        s.trainerPhase = run.phase().name().substring("PHASE_".length());
        s.resumedFromStep = run.resumedFromStep();
        if (run.totalSteps() > 0) {
            ProgressStatus p = new ProgressStatus();
            p.step = run.step();
            p.totalSteps = run.totalSteps();
            p.percent = (int) Math.min(100, 100 * run.step() / run.totalSteps());
            if (run.etaSeconds() != null && !run.isTerminal() && run.step() < run.totalSteps()) {
                p.etaSeconds = Math.round(run.etaSeconds());
                p.eta = Lifecycle.time(run.observedAt().plusSeconds(p.etaSeconds));
            }
            s.progress = p;
        }
        if (run.memoryPlan() != null) {
            MemoryPlanStatus plan = new MemoryPlanStatus();
            plan.peakBytes = run.memoryPlan().getPeakBytes();
            plan.availableBytes = run.memoryPlan().getAvailableBytes();
            plan.fits = run.memoryPlan().getFits();
            plan.precision = run.memoryPlan().getPrecision();
            plan.summary = run.memoryPlan().getSummary();
            s.memoryPlan = plan;
        }
        if (run.train() != null || run.eval() != null) {
            MetricsStatus previous = s.metrics;
            s.metrics = metrics(run.train(), run.eval(), run.baseEval());
            MetricsHistory.carry(previous, s.metrics);
        }
        if (run.checkpoint() != null) {
            CheckpointStatus c = new CheckpointStatus();
            c.name = run.checkpoint().getName();
            c.step = run.checkpoint().getStep();
            c.path = ClaimPaths.specPath(run.checkpoint().getPath());
            s.checkpoint = c;
        }
    }

    /**
     * The metrics their descriptions show in the status ({@code shownInStatus}), read from the
     * trainer's messages under their keys and written under their status names.
     *
     * @throws IllegalArgumentException when a metric shown in the status has no field in the message
     *     or in {@link MetricsStatus}
     */
    static MetricsStatus metrics(TrainMetrics train, EvalMetrics eval, EvalMetrics baseEval) {
        ObjectNode m = JSON.createObjectNode();
        if (train != null) {
            putShown(m, StepMetric.values(), train, STEP_DIGITS);
        }
        if (eval != null) {
            putShown(m.putObject("eval"), EvalMetric.values(), eval, MathContext.UNLIMITED);
        }
        if (baseEval != null) {
            putShown(m.putObject("baseEval"), EvalMetric.values(), baseEval, MathContext.UNLIMITED);
        }
        return JSON.convertValue(m, MetricsStatus.class);
    }

    private static void putShown(ObjectNode target, ReportedMetric[] metrics, Message message, MathContext digits) {
        Descriptors.Descriptor type = message.getDescriptorForType();
        for (ReportedMetric metric : metrics) {
            if (!metric.info().inStatus()) {
                continue;
            }
            Descriptors.FieldDescriptor field = type.findFieldByName(metric.key());
            if (field == null) {
                throw new IllegalArgumentException(type.getName() + " has no field " + metric.key());
            }
            if (field.hasPresence() && !message.hasField(field)) {
                continue;
            }
            Number value = (Number) message.getField(field);
            if (metric.info().integral()) {
                target.put(metric.statusField(), value.longValue());
            } else {
                Double rounded = round(value.doubleValue(), digits);
                if (rounded != null) {
                    target.put(metric.statusField(), rounded);
                }
            }
        }
    }

    /** Null for NaN and infinities, which JSON cannot hold. */
    private static Double round(double value, MathContext digits) {
        return Double.isFinite(value) ? new BigDecimal(value).round(digits).doubleValue() : null;
    }
}
