package io.dftune.engine.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON form of {@link EvalMetrics}, shared by metrics.jsonl and {@code dftune eval}. */
public final class EvalJson {
    private EvalJson() {}

    public static ObjectNode toJson(ObjectMapper json, EvalMetrics m) {
        ObjectNode node = json.createObjectNode();
        node.put("step", m.step());
        node.put("nll", m.nll());
        node.put("dft_loss", m.dftLoss());
        node.put("mean_target_prob", m.meanTargetProb());
        node.put("low_prob_token_ratio", m.lowProbTokenRatio());
        node.put("token_accuracy", m.tokenAccuracy());
        node.put("tokens", m.tokens());
        if (m.hasExactMatch()) {
            node.put("exact_match", m.exactMatch());
            node.put("answered", m.answered());
        }
        return node;
    }
}
