package io.dftune.trainer.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.trainer.experiment.CurvePoint;
import io.dftune.trainer.experiment.RunKey;
import io.dftune.trainer.experiment.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One of the experiment's FineTuneJobs as its status shows it (the operator's status fields:
 * {@code phase}, {@code trainerPhase}, {@code metrics.baseEval}, {@code metrics.eval}, {@code
 * metrics.curve}).
 *
 * @param stoppedEarly why this command stopped it, from its annotation; null when it was not
 * @param evalStep the step of the latest evaluation; -1 without one
 */
record ObservedRun(
        RunKey key,
        String name,
        String specHash,
        String phase,
        String trainerPhase,
        String message,
        long totalSteps,
        Score baseEval,
        Score eval,
        long evalStep,
        List<CurvePoint> curve,
        String stoppedEarly) {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static ObservedRun of(RunKey key, String name, String specHash, String stoppedEarly, JsonNode status) {
        JsonNode metrics = status.path("metrics");
        JsonNode eval = metrics.path("eval");
        List<CurvePoint> curve = new ArrayList<>();
        for (JsonNode p : metrics.path("curve")) {
            curve.add(new CurvePoint(
                    p.path("step").asLong(),
                    p.path("loss").asDouble(Double.NaN),
                    p.path("nll").asDouble(Double.NaN),
                    p.path("meanTargetProb").asDouble(Double.NaN)));
        }
        return new ObservedRun(
                key,
                name,
                specHash,
                status.path("phase").asText("Pending"),
                status.path("trainerPhase").asText(""),
                status.path("message").asText(""),
                status.path("progress").path("totalSteps").asLong(0),
                score(metrics.path("baseEval")).orElse(null),
                score(eval).orElse(null),
                eval.isObject() ? eval.path("step").asLong() : -1,
                List.copyOf(curve),
                stoppedEarly);
    }

    /**
     * An evaluation with answers, with avg@k, pass@k and maj@k when it sampled; without {@code
     * exactMatch} (no reference answers) there is no score.
     */
    private static Optional<Score> score(JsonNode eval) {
        if (!eval.hasNonNull("exactMatch")) {
            return Optional.empty();
        }
        // The status names its evaluation fields as the comparison's scores do (MetricsStatus.EvalStatus).
        return Optional.of(JSON.convertValue(eval, Score.class));
    }

    /** This run, stopped early by this command for {@code reason}. */
    ObservedRun stopped(String reason) {
        return new ObservedRun(
                key, name, specHash, phase, trainerPhase, message, totalSteps, baseEval, eval, evalStep, curve, reason);
    }

    boolean succeeded() {
        return "Succeeded".equals(phase);
    }

    boolean failed() {
        return "Failed".equals(phase);
    }

    /**
     * Stopped by this command, or succeeded with the trainer's final report in the status (its
     * {@code trainerPhase} SUCCEEDED; the phase can show Succeeded a moment before): its score will
     * not change.
     */
    boolean finished() {
        return stoppedEarly != null || (succeeded() && "SUCCEEDED".equals(trainerPhase));
    }

    /** The run's validation score: its final evaluation, or its latest one when stopped early. */
    Score validation() {
        return eval;
    }
}
