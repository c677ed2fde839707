package io.dftune.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.operator.api.CheckpointStatus;
import io.dftune.operator.api.ClaimPaths;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.MetricsStatus;
import io.dftune.operator.api.ProgressStatus;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.TrainMetrics;
import java.math.BigDecimal;
import java.math.MathContext;

/** The trainer's report in the status' terms; status copies and comparison. */
public final class StatusMapping {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Metrics keep 5 significant digits: enough to read, and a status that does not churn in the noise. */
    private static final MathContext DIGITS = new MathContext(5);

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
        if (run.train() != null || run.eval() != null) {
            s.metrics = metrics(run.train(), run.eval());
        }
        if (run.checkpoint() != null) {
            CheckpointStatus c = new CheckpointStatus();
            c.name = run.checkpoint().getName();
            c.step = run.checkpoint().getStep();
            c.path = ClaimPaths.specPath(run.checkpoint().getPath());
            s.checkpoint = c;
        }
    }

    private static MetricsStatus metrics(TrainMetrics train, EvalMetrics eval) {
        MetricsStatus m = new MetricsStatus();
        if (train != null) {
            m.step = train.getStep();
            m.loss = round(train.getLoss());
            m.nll = round(train.getNll());
            m.meanTargetProb = round(train.getMeanTargetProb());
            m.tokensPerSecond = round(train.getTokensPerSecond());
            m.learningRate = round(train.getLearningRate());
        }
        if (eval != null) {
            MetricsStatus.EvalStatus e = new MetricsStatus.EvalStatus();
            e.step = eval.getStep();
            e.nll = round(eval.getNll());
            e.meanTargetProb = round(eval.getMeanTargetProb());
            e.tokenAccuracy = round(eval.getTokenAccuracy());
            e.exactMatch = eval.hasExactMatch() ? round(eval.getExactMatch()) : null;
            m.eval = e;
        }
        return m;
    }

    /** Null for NaN and infinities, which JSON cannot hold. */
    private static Double round(double value) {
        return Double.isFinite(value) ? new BigDecimal(value).round(DIGITS).doubleValue() : null;
    }
}
