package io.dftune.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.nd.Constants;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.TokenScores;

/**
 * The loss as most training code writes it, for comparison with the engine's chunked loss: logits
 * for every position of the micro-batch at once ([B*T, V]), log-softmax, the target's
 * log-probability, the objective, masked and divided by the step's token count.
 */
final class NaiveLoss {
    private NaiveLoss() {}

    /** Forward and backward from flattened hidden states [B*T, H]; returns the loss value. */
    static double forwardBackward(
            CausalLm model,
            NDArray flatHidden,
            Batch batch,
            long stepTokens,
            Objective objective,
            GradientCollector collector,
            NDManager scope) {
        int width = batch.width();
        int positions = batch.size() * width;
        long[] targetIds = new long[positions];
        float[] mask = new float[positions];
        for (int r = 0; r < batch.size(); r++) {
            for (int t = 1; t < width; t++) {
                if (batch.completionMask()[r][t] == 1) {
                    targetIds[r * width + t - 1] = batch.inputIds()[r][t];
                    mask[r * width + t - 1] = 1f;
                }
            }
        }
        NDArray logProbs = model.logits(flatHidden).logSoftmax(-1);
        NDArray targetLogProbs = logProbs.gather(scope.create(targetIds).reshape(positions, 1), 1)
                .reshape(positions);
        NDArray perToken = objective.tokenLoss(new TokenScores(targetLogProbs, logProbs, 1.0));
        NDArray loss = perToken.mul(scope.create(mask)).sum().mul(Constants.scalar(scope, (float) (1.0 / stepTokens)));
        collector.backward(loss);
        return loss.getFloat();
    }
}
