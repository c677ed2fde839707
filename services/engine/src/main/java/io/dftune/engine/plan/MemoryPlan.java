package io.dftune.engine.plan;

import io.dftune.engine.model.ComputePrecision;
import java.util.Locale;

/**
 * What a run will hold in memory at its peak, in bytes, part by part, and what it has.
 *
 * @param weights the model's weights as stored (and the reference model's, where it is a copy)
 * @param trainableState the trainable weights' AdamW moments, and their gradients where these outgrow
 *     the activations that backward frees as it creates them (at least the LM head's, created first)
 * @param activations what the forward pass keeps for backward, for one micro-batch
 * @param lossChunk the logits and their gradient for one chunk of response tokens
 * @param computeCopies copies of weights in the type matmuls compute in: float32 copies of bfloat16
 *     weights, or bfloat16 copies of float32 trainable weights, kept until their layer's backward
 * @param overhead the runtime: JVM, libtorch, the tokenized data
 * @param available the memory the run may use
 * @param availableSource where {@code available} comes from (container limit, machine, GPU)
 * @param precision what the run stores and computes in, as planned
 */
public record MemoryPlan(
        long weights,
        long trainableState,
        long activations,
        long lossChunk,
        long computeCopies,
        long overhead,
        long available,
        String availableSource,
        ComputePrecision precision) {

    public long peak() {
        return weights + trainableState + activations + lossChunk + computeCopies + overhead;
    }

    public boolean fits() {
        return peak() <= available;
    }

    /** One line: the peak against what is available, then each part. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "memory plan: peak %s of %s available (%s): weights %s, gradients and optimizer %s, activations %s,"
                        + " loss chunk %s, weight copies %s, runtime %s",
                gib(peak()),
                gib(available),
                availableSource,
                gib(weights),
                gib(trainableState),
                gib(activations),
                gib(lossChunk),
                gib(computeCopies),
                gib(overhead));
    }

    /** E.g. "12.3 GiB". */
    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
