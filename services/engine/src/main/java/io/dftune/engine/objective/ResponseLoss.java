package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.nd.Constants;

/**
 * The loss over the response tokens of a micro-batch: selects the positions that predict a
 * response token, applies the LM head and the objective in chunks of tokens, and divides by the
 * response-token count of the whole optimizer step.
 *
 * <p>For training, the chunks are differentiated one at a time against a detached copy of the
 * hidden states, and the accumulated hidden-state gradient is then pushed through the
 * transformer once. Peak memory therefore holds one chunk's [chunk, vocab] logits, not the
 * logits of every token.
 *
 * <p>Objectives that {@linkplain Objective#needsReference need a reference} also get the frozen
 * reference model's log-softmax at the same positions; its hidden states are computed once per
 * micro-batch and carry no gradient.
 */
public final class ResponseLoss {
    private final int chunkTokens;

    public ResponseLoss(int chunkTokens) {
        if (chunkTokens < 1) {
            throw new IllegalArgumentException("chunkTokens must be >= 1");
        }
        this.chunkTokens = chunkTokens;
    }

    /**
     * Runs forward and backward for one micro-batch, accumulating gradients into the model.
     *
     * @param stepTokens response tokens in the whole optimizer step (the loss normaliser)
     */
    public TokenStats forwardBackward(
            CausalLm model,
            Batch batch,
            long stepTokens,
            Objective objective,
            GradientCollector collector,
            double progress) {
        return forwardBackward(model, null, batch, stepTokens, objective, collector, progress);
    }

    /**
     * As {@link #forwardBackward(CausalLm, Batch, long, Objective, GradientCollector, double)}, with
     * the frozen reference model for objectives that need one.
     *
     * @param reference the frozen start model (parameters without gradient); null when the
     *     objective does not need it
     */
    public TokenStats forwardBackward(
            CausalLm model,
            CausalLm reference,
            Batch batch,
            long stepTokens,
            Objective objective,
            GradientCollector collector,
            double progress) {
        requireReference(objective, reference);
        TokenStats stats = new TokenStats();
        ResponseTargets targets = ResponseTargets.of(batch);
        if (targets.count() == 0) {
            return stats;
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = flatHidden(model, batch, scope);
            NDArray detached = hidden.stopGradient();
            detached.setRequiresGradient(true);
            Side referenceSide = objective.needsReference()
                    ? new Side(reference, flatHidden(reference, batch, scope).stopGradient())
                    : null;
            chunkedBackward(
                    new Side(model, detached),
                    referenceSide,
                    targets,
                    stepTokens,
                    objective,
                    collector,
                    progress,
                    scope,
                    stats);
            NDArray hiddenGradient = detached.getGradient();
            hiddenGradient.attach(scope);
            collector.backward(hidden.mul(hiddenGradient).sum());
        }
        return stats;
    }

    /**
     * The loss part of {@link #forwardBackward} alone, from given final hidden states: the LM head
     * and the objective in chunks, backward into the head's weight and into {@code flatHidden}'s
     * gradient. For objectives without a reference model.
     *
     * @param flatHidden final hidden states [B*T, H] of {@code batch}, flattened; must require a gradient
     */
    public TokenStats headForwardBackward(
            CausalLm model,
            NDArray flatHidden,
            Batch batch,
            long stepTokens,
            Objective objective,
            GradientCollector collector,
            double progress) {
        requireReference(objective, null);
        TokenStats stats = new TokenStats();
        try (NDManager scope = model.manager().newSubManager()) {
            chunkedBackward(
                    new Side(model, flatHidden),
                    null,
                    ResponseTargets.of(batch),
                    stepTokens,
                    objective,
                    collector,
                    progress,
                    scope,
                    stats);
        }
        return stats;
    }

    private void chunkedBackward(
            Side policy,
            Side reference,
            ResponseTargets targets,
            long stepTokens,
            Objective objective,
            GradientCollector collector,
            double progress,
            NDManager scope,
            TokenStats stats) {
        NDArray normaliser = Constants.scalar(scope, (float) (1.0 / stepTokens));
        for (int start = 0; start < targets.count(); start += chunkTokens) {
            int end = Math.min(targets.count(), start + chunkTokens);
            try (NDManager chunkScope = scope.newSubManager()) {
                NDArray lossSum =
                        scoreChunk(policy, reference, targets, start, end, objective, progress, chunkScope, stats);
                collector.backward(lossSum.mul(normaliser));
            }
        }
    }

    /** Scores one micro-batch without building a graph (evaluation). */
    public TokenStats score(CausalLm model, Batch batch, Objective objective) {
        if (objective.needsReference()) {
            throw new IllegalArgumentException(objective.name() + " needs a reference model; score with sft or dft");
        }
        TokenStats stats = new TokenStats();
        ResponseTargets targets = ResponseTargets.of(batch);
        if (targets.count() == 0) {
            return stats;
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = flatHidden(model, batch, scope);
            for (int start = 0; start < targets.count(); start += chunkTokens) {
                int end = Math.min(targets.count(), start + chunkTokens);
                try (NDManager chunkScope = scope.newSubManager()) {
                    scoreChunk(new Side(model, hidden), null, targets, start, end, objective, 1.0, chunkScope, stats);
                }
            }
        }
        return stats;
    }

    private static NDArray flatHidden(CausalLm model, Batch batch, NDManager scope) {
        NDArray ids = scope.create(batch.inputIds());
        NDArray hidden = model.hiddenStates(ids);
        Shape shape = hidden.getShape();
        return hidden.reshape(shape.get(0) * shape.get(1), shape.get(2));
    }

    private static void requireReference(Objective objective, CausalLm reference) {
        if (objective.needsReference() && reference == null) {
            throw new IllegalArgumentException(objective.name() + " needs the reference model, none was given");
        }
    }

    /** A model with its flattened final hidden states [B*T, H] for the current micro-batch. */
    private record Side(CausalLm model, NDArray flatHidden) {
        NDArray logits(NDArray positions) {
            NDArray selected = Embedding.embedding(positions, flatHidden, SparseFormat.DENSE)
                    .head();
            return model.logits(selected);
        }
    }

    /** Returns the objective's (unnormalised) loss sum for targets [start, end) and records stats. */
    private static NDArray scoreChunk(
            Side policy,
            Side reference,
            ResponseTargets targets,
            int start,
            int end,
            Objective objective,
            double progress,
            NDManager chunkScope,
            TokenStats stats) {
        int count = end - start;
        NDArray positions = chunkScope.create(targets.positions(start, end));
        NDArray targetIds = chunkScope.create(targets.tokenIds(start, end)).reshape(count, 1);
        NDArray logits = policy.logits(positions);
        NDArray vocabLogProbs = logits.logSoftmax(-1);
        NDArray targetLogProbs = vocabLogProbs.gather(targetIds, 1).reshape(count);
        NDArray referenceLogProbs = reference == null
                ? null
                : reference.logits(positions).logSoftmax(-1).stopGradient();
        NDArray lossSum = objective
                .tokenLoss(new TokenScores(targetLogProbs, vocabLogProbs, progress, referenceLogProbs))
                .sum();

        // The target is a most likely token when its log-prob (gathered from the same array) equals
        // the row's maximum: one max reduction, a third of the cost of argmax over the vocabulary.
        float[] target = targetLogProbs.stopGradient().toFloatArray();
        float[] best = vocabLogProbs.stopGradient().max(new int[] {-1}).toFloatArray();
        boolean[] correct = new boolean[count];
        for (int i = 0; i < count; i++) {
            correct[i] = target[i] >= best[i];
        }
        stats.add(target, correct, lossSum.stopGradient().getFloat());
        return lossSum;
    }
}
