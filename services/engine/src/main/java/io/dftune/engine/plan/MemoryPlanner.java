package io.dftune.engine.plan;

import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ComputePrecision;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.ObjectiveType;
import java.util.List;
import java.util.Map;

/**
 * The memory plan of a run, computed from config.json and the spec before any weight is read. The
 * activation terms count the arrays the engine's forward pass keeps for backward (per token and
 * layer: the norms' inputs and outputs, q, k, v before and after RoPE, the attention scores and
 * probabilities, the MLP's gate, up and product, the adapter's dropped-out inputs); the constants are
 * checked against measured peak RSS by the {@code memory-plan} benchmark (bench/RESULTS.md).
 */
public final class MemoryPlanner {
    private static final int FLOAT = 4;
    private static final int BFLOAT = 2;
    /** A boolean mask element. */
    private static final int MASK = 1;
    /** [chunk, vocab] float32 arrays alive at once in the loss: logits, log-probs and their gradients. */
    private static final int LOSS_CHUNK_COPIES = 4;
    /** The JVM, libtorch and DJL's native libraries, TCMalloc's caches and the tokenized data. */
    static final long RUNTIME_OVERHEAD = 1_200L << 20;

    private MemoryPlanner() {}

    /**
     * @param precision what the spec's precision means on the run's device
     * @param available the memory the run may use, in bytes
     */
    public static MemoryPlan plan(
            ModelConfig config,
            FineTuneJobSpec spec,
            ComputePrecision precision,
            int lossChunkTokens,
            long available,
            String availableSource) {
        boolean lora = spec.getAdapter().isLora();
        long parameters = config.parameterCount();
        long trainable = lora ? loraParameters(config, spec.getAdapter()) : parameters;
        boolean bf16Frozen = precision.bfloat16FrozenWeights();
        int frozenBytes = bf16Frozen ? BFLOAT : FLOAT;
        boolean reference = spec.getObjective().getType() == ObjectiveType.ASFT;

        long weights = lora ? parameters * frozenBytes + trainable * FLOAT : parameters * FLOAT;
        if (reference && !lora) {
            weights += parameters * frozenBytes;
        }
        long moments = trainable * 2L * FLOAT;

        long tokens = (long) spec.getTraining().effectiveMicroBatchSize()
                * spec.getTraining().getMaxLength();
        boolean checkpointing = spec.getTraining().isGradientCheckpointing();
        // bfloat16 matmuls keep their inputs' bfloat16 casts besides the float32 activations (the
        // residual stream, norms and the products' results stay float32).
        long perLayer = activationsPerLayer(config, spec, lora) * FLOAT
                + droppedInputsPerLayer(config, spec, lora) * MASK
                + (precision.bfloat16Matmuls() ? matmulInputsPerLayer(config) * BFLOAT : 0);
        long layers = config.numHiddenLayers();
        long activations = checkpointing
                ? tokens * (layers * config.hiddenSize() * (long) FLOAT + perLayer)
                : tokens * layers * perLayer;
        activations += tokens * 4L * config.hiddenSize() * FLOAT; // embeddings, final hidden and its gradient

        // Each step drops the previous gradients (Leaves.releaseGradients), so backward creates them
        // as it frees the activations: the peak holds either every activation and the LM head's
        // gradient (backward's first), or every gradient, whichever is more.
        long gradients = trainable * FLOAT;
        long headGradient = lora ? 0 : (long) config.vocabSize() * config.hiddenSize() * FLOAT;
        long trainableState = moments + Math.max(headGradient, gradients - activations);

        long chunk = Math.min(lossChunkTokens, tokens);
        long lossChunk = chunk * config.vocabSize() * (long) FLOAT * LOSS_CHUNK_COPIES;
        if (precision.bfloat16Matmuls()) {
            lossChunk += chunk * config.vocabSize() * 2L * BFLOAT; // the head's bfloat16 product and its gradient
        }

        // Autograd keeps the copies a layer's matmuls were given until the layer's backward; with
        // checkpointing that is one layer at a time. Frozen bfloat16 weights computing in float32
        // are copied to float32; trainable float32 weights computing in bfloat16, to bfloat16.
        long computeCopies = 0;
        if (bf16Frozen && !precision.bfloat16Matmuls() && (lora || reference)) {
            computeCopies = weightCopies(config, FLOAT, checkpointing || !lora ? 1 : layers);
        } else if (precision.bfloat16Matmuls() && !lora) {
            computeCopies = weightCopies(config, BFLOAT, checkpointing ? 1 : layers);
        }
        return new MemoryPlan(
                weights,
                trainableState,
                activations,
                lossChunk,
                computeCopies,
                RUNTIME_OVERHEAD,
                available,
                availableSource,
                precision);
    }

    /** The LM head and {@code layers} layers' linear weights, {@code bytes} per element. */
    private static long weightCopies(ModelConfig config, int bytes, long layers) {
        long head = (long) config.vocabSize() * config.hiddenSize();
        return (head + layers * linearParametersPerLayer(config)) * bytes;
    }

    /** The default loss chunk, as the runs use it. */
    public static MemoryPlan plan(
            ModelConfig config, FineTuneJobSpec spec, ComputePrecision precision, long available, String source) {
        return plan(config, spec, precision, ResponseLoss.DEFAULT_CHUNK_TOKENS, available, source);
    }

    /** Elements kept per token by one decoder layer's forward pass for backward. */
    static long activationsPerLayer(ModelConfig config, FineTuneJobSpec spec, boolean lora) {
        long h = config.hiddenSize();
        long i = config.intermediateSize();
        long q = (long) config.numAttentionHeads() * config.headDim();
        long kv = (long) config.numKeyValueHeads() * config.headDim();
        long attention = 2L
                * config.numAttentionHeads()
                * keysPerQuery(spec.getTraining().getMaxLength());
        long norms = 2 * (2 * h + 1) + (config.qkNorm() ? 2 * (q + 2 * kv) : 0);
        long projections = 3 * q + 5 * kv + h;
        long mlp = 5 * i;
        return norms + projections + attention + mlp + 2 * h + droppedInputsPerLayer(config, spec, lora);
    }

    /**
     * The keys a query's attention scores cover on average at {@code length} tokens: attention runs
     * in blocks of queries, each scoring the keys up to its last query
     * ({@link CausalLm#ATTENTION_QUERY_BLOCK}).
     */
    static long keysPerQuery(int length) {
        long block = CausalLm.ATTENTION_QUERY_BLOCK;
        if (length <= block) {
            return length;
        }
        long scores = 0;
        for (long start = 0; start < length; start += block) {
            long end = Math.min(length, start + block);
            scores += (end - start) * end;
        }
        return (scores + length - 1) / length;
    }

    /**
     * Elements per token of the inputs that one layer's LoRA dropout thins (0 without dropout):
     * each adapted layer keeps its thinned input (float32) and its mask (boolean) for backward.
     */
    private static long droppedInputsPerLayer(ModelConfig config, FineTuneJobSpec spec, boolean lora) {
        if (!lora || spec.getAdapter().getDropout() == 0) {
            return 0;
        }
        long inputs = 0;
        for (String module : spec.getAdapter().effectiveTargetModules()) {
            inputs += inputWidth(config, module);
        }
        return inputs;
    }

    /** A/B elements of the adapter: r (in + out) per targeted layer. */
    static long loraParameters(ModelConfig config, AdapterSpec adapter) {
        long total = 0;
        List<String> modules = adapter.effectiveTargetModules();
        for (Map.Entry<String, long[]> e : config.parameterShapes().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("model.layers.") && name.endsWith("_proj.weight")) {
                String module = name.substring(
                        name.lastIndexOf('.', name.length() - ".weight".length() - 1) + 1,
                        name.length() - ".weight".length());
                if (modules.contains(module)) {
                    total += (long) adapter.getRank() * (e.getValue()[0] + e.getValue()[1]);
                }
            }
        }
        return total;
    }

    /** Elements per token of one layer's matmul inputs, each cast to bfloat16 by its own linear layer. */
    private static long matmulInputsPerLayer(ModelConfig config) {
        long h = config.hiddenSize();
        long q = (long) config.numAttentionHeads() * config.headDim();
        return 3 * h + q + 2 * h + config.intermediateSize(); // q, k, v; o; gate, up; down
    }

    private static long linearParametersPerLayer(ModelConfig config) {
        long total = 0;
        for (Map.Entry<String, long[]> e : config.parameterShapes().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("model.layers.0.") && name.endsWith("_proj.weight")) {
                total += e.getValue()[0] * e.getValue()[1];
            }
        }
        return total;
    }

    private static long inputWidth(ModelConfig config, String module) {
        return switch (module) {
            case "o_proj" -> (long) config.numAttentionHeads() * config.headDim();
            case "down_proj" -> config.intermediateSize();
            default -> config.hiddenSize();
        };
    }
}
