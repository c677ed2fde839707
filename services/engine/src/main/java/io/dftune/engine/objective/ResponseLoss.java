package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.TrainingForward;
import io.dftune.engine.nd.Constants;
import java.util.function.Consumer;

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
    /** Response tokens per loss chunk unless a run sets otherwise. */
    public static final int DEFAULT_CHUNK_TOKENS = 1024;

    private final int chunkTokens;

    public ResponseLoss(int chunkTokens) {
        if (chunkTokens < 1) {
            throw new IllegalArgumentException("chunkTokens must be >= 1");
        }
        this.chunkTokens = chunkTokens;
    }

    /** Response tokens per loss chunk. */
    public int chunkTokens() {
        return chunkTokens;
    }

    /**
     * What the loss of every micro-batch of one optimizer step shares.
     *
     * @param reference the frozen start model (parameters without gradient); null unless the
     *     objective needs it
     * @param stepTokens response tokens in the whole optimizer step (the loss normaliser)
     * @param progress fraction of the run done, in [0, 1] (for objectives that ramp)
     * @param checkpointing recompute each layer in backward instead of keeping its activations
     * @param seed what the adapter's dropout draws from in this micro-batch
     */
    public record Step(
            CausalLm model,
            CausalLm reference,
            Objective objective,
            long stepTokens,
            double progress,
            boolean checkpointing,
            long seed) {
        public Step {
            if (objective.needsReference() && reference == null) {
                throw new IllegalArgumentException(objective.name() + " needs the reference model, none was given");
            }
        }

        /** Without checkpointing or dropout seed. */
        public Step(CausalLm model, CausalLm reference, Objective objective, long stepTokens, double progress) {
            this(model, reference, objective, stepTokens, progress, false, 0);
        }

        /** The same step for another micro-batch, whose dropout draws from {@code seed}. */
        public Step withSeed(long seed) {
            return new Step(model, reference, objective, stepTokens, progress, checkpointing, seed);
        }
    }

    /** Runs forward and backward for one micro-batch, accumulating gradients into the model. */
    public TokenStats forwardBackward(Step step, Batch batch, GradientCollector collector) {
        if (batch.responseTokenCount() == 0) {
            return new TokenStats();
        }
        try (NDManager scope = step.model().manager().newSubManager()) {
            Pass pass = begin(step, batch, scope);
            pass.lossBackward(collector);
            pass.transformerBackward();
            return pass.stats();
        }
    }

    /** Scores one micro-batch without building a graph (evaluation). */
    public TokenStats score(CausalLm model, Batch batch, Objective objective) {
        if (objective.needsReference()) {
            throw new IllegalArgumentException(objective.name() + " needs a reference model; score with sft or dft");
        }
        if (batch.responseTokenCount() == 0) {
            return new TokenStats();
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(batch.inputIds());
            Pass pass = new Pass(
                    new Step(model, null, objective, 1, 1.0),
                    ResponseTargets.of(batch),
                    TrainingForward.of(model.hiddenStates(ids)),
                    null,
                    scope);
            pass.scoreOnly();
            return pass.stats();
        }
    }

    /**
     * The first phase of {@link #forwardBackward}: the transformer's forward pass (and the
     * reference model's), ready for the loss. The phases are public so benchmarks time them.
     *
     * @param scope owns the pass' arrays; closing it ends the pass
     */
    public Pass begin(Step step, Batch batch, NDManager scope) {
        NDArray ids = scope.create(batch.inputIds());
        int[][] segments = batch.isPacked() ? batch.segments() : null;
        TrainingForward forward = step.model().trainingForward(ids, segments, step.checkpointing(), step.seed());
        NDArray referenceHidden = step.objective().needsReference()
                ? flat(step.reference().hiddenStates(ids, segments)).stopGradient()
                : null;
        return new Pass(step, ResponseTargets.of(batch), forward, referenceHidden, scope);
    }

    /**
     * A pass from given final hidden states [B*T, H] of {@code batch} (for measuring the loss alone);
     * {@link Pass#transformerBackward} then leaves their gradient in {@code flatHidden}.
     */
    public Pass fromHidden(Step step, Batch batch, NDArray flatHidden, NDManager scope) {
        if (step.objective().needsReference()) {
            throw new IllegalArgumentException(step.objective().name() + " needs the reference model's hidden states");
        }
        return new Pass(step, ResponseTargets.of(batch), TrainingForward.of(flatHidden), null, scope);
    }

    /** Hidden states [B, T, H] as [B*T, H], the positions {@link ResponseTargets} index. */
    private static NDArray flat(NDArray hidden) {
        Shape shape = hidden.getShape();
        return shape.dimension() == 2 ? hidden : hidden.reshape(shape.get(0) * shape.get(1), shape.get(2));
    }

    /** One micro-batch between the transformer's forward pass and its backward pass. */
    public final class Pass {
        private final Step step;
        private final ResponseTargets targets;
        private final TrainingForward forward;
        /** The forward pass's hidden states, flat and cut from its graph: the chunks' gradients accumulate here. */
        private final NDArray detached;

        private final NDArray referenceHidden;
        private final NDManager scope;
        private final NDArray head;
        private final NDArray referenceHead;
        private final TokenStats stats = new TokenStats();

        private Pass(
                Step step, ResponseTargets targets, TrainingForward forward, NDArray referenceHidden, NDManager scope) {
            this.step = step;
            this.targets = targets;
            this.forward = forward;
            this.detached = flat(forward.hidden()).stopGradient();
            this.referenceHidden = referenceHidden;
            this.scope = scope;
            this.head = step.model().lmHead(scope);
            this.referenceHead =
                    referenceHidden == null ? null : step.reference().lmHead(scope);
        }

        /** The LM head and the objective in chunks, each differentiated down to the detached hidden states. */
        public void lossBackward(GradientCollector collector) {
            if (targets.count() == 0) {
                return;
            }
            detached.setRequiresGradient(true);
            NDArray normaliser = Constants.scalar(scope, (float) (1.0 / step.stepTokens()));
            forEachChunk(chunk -> collector.backward(chunk.mul(normaliser)));
        }

        /** Pushes the hidden states' accumulated gradient through the transformer once. */
        public void transformerBackward() {
            if (targets.count() == 0) {
                return;
            }
            NDArray hiddenGradient = detached.getGradient().duplicate();
            hiddenGradient.attach(scope);
            forward.backward(hiddenGradient.reshape(forward.hidden().getShape()));
        }

        /** The statistics of the chunks scored so far. */
        public TokenStats stats() {
            return stats;
        }

        private void scoreOnly() {
            forEachChunk(chunk -> {});
        }

        private void forEachChunk(Consumer<NDArray> lossSumOfChunk) {
            for (int start = 0; start < targets.count(); start += chunkTokens) {
                int end = Math.min(targets.count(), start + chunkTokens);
                try (NDManager chunkScope = scope.newSubManager()) {
                    lossSumOfChunk.accept(scoreChunk(start, end, chunkScope));
                }
            }
        }

        /** Returns the objective's (unnormalised) loss sum for targets [start, end) and records stats. */
        private NDArray scoreChunk(int start, int end, NDManager chunkScope) {
            int count = end - start;
            NDArray positions = chunkScope.create(targets.positions(start, end));
            NDArray targetIds = chunkScope.create(targets.tokenIds(start, end)).reshape(count, 1);
            NDArray vocabLogProbs =
                    logits(step.model(), head, detached, positions).logSoftmax(-1);
            NDArray targetLogProbs = vocabLogProbs.gather(targetIds, 1).reshape(count);
            NDArray referenceLogProbs = referenceHidden == null
                    ? null
                    : logits(step.reference(), referenceHead, referenceHidden, positions)
                            .logSoftmax(-1)
                            .stopGradient();
            NDArray lossSum = step.objective()
                    .tokenLoss(new TokenScores(targetLogProbs, vocabLogProbs, step.progress(), referenceLogProbs))
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

        private static NDArray logits(CausalLm model, NDArray head, NDArray flatHidden, NDArray positions) {
            NDArray selected = Embedding.embedding(positions, flatHidden, SparseFormat.DENSE)
                    .head();
            return model.logits(selected, head);
        }
    }
}
