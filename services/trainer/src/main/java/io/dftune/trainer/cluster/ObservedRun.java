package io.dftune.trainer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.trainer.experiment.CurvePoint;
import io.dftune.trainer.experiment.RunKey;
import io.dftune.trainer.experiment.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One of the experiment's FineTuneJobs as its status shows it (the operator's status fields:
 * {@code phase}, {@code metrics.baseEval}, {@code metrics.eval}, {@code metrics.curve}).
 *
 * @param stoppedEarly why this command stopped it, from its annotation; null when it was not
 * @param evalStep the step of the latest evaluation; -1 without one
 */
record ObservedRun(
        RunKey key,
        String name,
        String specHash,
        String phase,
        String message,
        long totalSteps,
        Score baseEval,
        Score eval,
        long evalStep,
        List<CurvePoint> curve,
        String stoppedEarly) {

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
                status.path("message").asText(""),
                status.path("progress").path("totalSteps").asLong(0),
                score(metrics.path("baseEval")).orElse(null),
                score(eval).orElse(null),
                eval.isObject() ? eval.path("step").asLong() : -1,
                List.copyOf(curve),
                stoppedEarly);
    }

    /** An evaluation with answers; without {@code exactMatch} (no reference answers) there is no score. */
    private static Optional<Score> score(JsonNode eval) {
        if (!eval.hasNonNull("exactMatch")) {
            return Optional.empty();
        }
        return Optional.of(new Score(
                eval.path("exactMatch").asDouble(),
                eval.path("nll").asDouble(Double.NaN),
                eval.path("meanTargetProb").asDouble(Double.NaN),
                eval.path("answered").asInt()));
    }

    /** This run, stopped early by this command for {@code reason}. */
    ObservedRun stopped(String reason) {
        return new ObservedRun(
                key, name, specHash, phase, message, totalSteps, baseEval, eval, evalStep, curve, reason);
    }

    boolean succeeded() {
        return "Succeeded".equals(phase);
    }

    boolean failed() {
        return "Failed".equals(phase);
    }

    /**
     * Stopped by this command, or succeeded with its final evaluation in the status (the phase can
     * show Succeeded before the trainer's last report reaches the status): its score will not change.
     */
    boolean finished() {
        return stoppedEarly != null || (succeeded() && eval != null && totalSteps > 0 && evalStep >= totalSteps);
    }

    /** The run's validation score: its final evaluation, or its latest one when stopped early. */
    Score validation() {
        return eval;
    }
}
