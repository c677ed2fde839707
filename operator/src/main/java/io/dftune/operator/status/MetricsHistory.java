package io.dftune.operator.status;

import io.dftune.operator.api.MetricsStatus;
import io.dftune.operator.api.MetricsStatus.CurvePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * What the status keeps of a run's past, beside its latest metrics: the evaluation before training
 * (the base model's score, kept when a later pod does not report it) and a training curve of
 * bounded size. Each new status carries the
 * previous one's history forward and adds to it; a point is added only past the curve's last step,
 * so a repeated report, or a pod that resumed from an earlier checkpoint, adds nothing twice.
 */
final class MetricsHistory {
    /** Enough points for a readable curve, few enough to keep the object small (~10 KB). */
    static final int MAX_CURVE_POINTS = 128;

    private MetricsHistory() {}

    static void carry(MetricsStatus previous, MetricsStatus next) {
        if (next.baseEval == null && previous != null) {
            next.baseEval = previous.baseEval; // a pod that resumed from a checkpoint did not evaluate the base
        }
        List<CurvePoint> curve =
                previous == null || previous.curve == null ? new ArrayList<>() : new ArrayList<>(previous.curve);
        if (next.step != null && (curve.isEmpty() || next.step > curve.get(curve.size() - 1).step)) {
            curve.add(point(next));
            if (curve.size() > MAX_CURVE_POINTS) {
                curve = thinned(curve);
            }
        }
        next.curve = curve.isEmpty() ? null : curve;
    }

    /** Every other point, keeping the newest: the curve's spacing doubles and stays even. */
    static List<CurvePoint> thinned(List<CurvePoint> curve) {
        List<CurvePoint> kept = new ArrayList<>();
        for (int i = curve.size() - 1; i >= 0; i -= 2) {
            kept.add(0, curve.get(i));
        }
        return kept;
    }

    private static CurvePoint point(MetricsStatus m) {
        CurvePoint p = new CurvePoint();
        p.step = m.step;
        p.loss = m.loss;
        p.nll = m.nll;
        p.meanTargetProb = m.meanTargetProb;
        return p;
    }
}
