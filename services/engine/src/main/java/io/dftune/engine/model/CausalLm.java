package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import io.dftune.engine.nd.Constants;
import java.util.Collection;
import java.util.Map;

/**
 * A decoder-only causal language model with the computation of Hugging Face's
 * {@code LlamaForCausalLM}, {@code Qwen2ForCausalLM}, {@code Qwen3ForCausalLM} and
 * {@code MistralForCausalLM}: RMSNorm, rotary embeddings (plain, linear or llama3 scaling),
 * grouped-query attention (optional q/k/v/o biases, Qwen3's per-head q/k RMSNorm, Mistral's sliding
 * window), SwiGLU MLP, tied or untied LM head.
 *
 * <p>Parameters are plain float32 arrays keyed by their Hugging Face tensor names, so loading and
 * saving need no name mapping. Every operation puts the activation first, so results attach to
 * the caller's (per-step) manager and not to the parameters' manager.
 */
public final class CausalLm implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final RotaryEmbedding rotary;
    private final boolean qkNorm;

    public CausalLm(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.qkNorm = config.qkNorm();
        this.rotary = new RotaryEmbedding(manager, config.headDim(), config.rope());
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** Parameters by Hugging Face tensor name, in the order of the config's layout. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    public Collection<NDArray> trainableParameters() {
        return parameters.values();
    }

    public void setTrainable(boolean trainable) {
        for (NDArray p : parameters.values()) {
            p.setRequiresGradient(trainable);
        }
    }

    /** Final-norm hidden states [B, T, H] for token ids [B, T] (right padding is harmless). */
    public NDArray hiddenStates(NDArray inputIds) {
        int length = (int) inputIds.getShape().get(1);
        return forward(inputIds, null, causalMask(inputIds.getManager(), length, config), null);
    }

    /**
     * Final-norm hidden states [B, T, H] of rows that each hold several sequences back to back (packing):
     * {@code segments[b]} are the lengths of row b's sequences, in order, padding after them. Positions restart
     * at each sequence and attention stays inside it ({@link PackedRows}), so each sequence's states equal those
     * of {@link #hiddenStates(NDArray)} on it alone.
     */
    public NDArray packedHiddenStates(NDArray inputIds, int[][] segments) {
        PackedRows rows = PackedRows.of(
                inputIds.getManager(), segments, (int) inputIds.getShape().get(1), config);
        return forward(inputIds, rows.positions(), rows.mask(), null);
    }

    /**
     * Incremental decoding: final-norm hidden states [B, t, H] of new tokens {@code inputIds} [B, t]
     * at {@code positions} [B, t] (int64, per row, so rows may be left-padded), attending to the
     * cached tokens and to themselves as {@code additiveMask} [B, 1, t, S + t] allows (0 to attend,
     * -1e9 not to; S tokens already cached). The mask must also hide keys outside the config's
     * sliding window ({@link ModelConfig#attendsAcross}). Appends the new tokens' keys and values to {@code cache}.
     * Not for training: the cache keeps no autograd graph.
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray positions, NDArray additiveMask, KvCache cache) {
        return forward(inputIds, positions, additiveMask, cache);
    }

    private NDArray forward(NDArray inputIds, NDArray positions, NDArray mask, KvCache cache) {
        NDManager scope = inputIds.getManager();
        RmsNorm norm = new RmsNorm(scope, config.rmsNormEps());
        NDArray queryScale = Constants.scalar(scope, (float) (1.0 / Math.sqrt(config.headDim())));
        RotaryEmbedding.Angles angles =
                rotary.angles(scope, (int) inputIds.getShape().get(1), positions, queryScale);
        // One mask for all query heads of a key/value group: [B or 1, 1, 1, T, S + T].
        NDArray groupMask = mask.expandDims(2);
        NDArray x = Embedding.embedding(inputIds, param("model.embed_tokens.weight"), SparseFormat.DENSE)
                .head();
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            // A layer's intermediate arrays are released when it ends, not when the caller's scope
            // does: autograd keeps what backward needs (libtorch counts references), and the rest
            // is memory that the next layer can reuse.
            try (NDManager layerScope = scope.newSubManager()) {
                x.attach(layerScope);
                String prefix = "model.layers." + layer + ".";
                NDArray normed = norm.apply(x, param(prefix + "input_layernorm.weight"));
                NDArray attended = x.add(attention(normed, layer, groupMask, angles, norm, cache));
                normed = norm.apply(attended, param(prefix + "post_attention_layernorm.weight"));
                x = attended.add(mlp(normed, prefix + "mlp."));
                x.attach(scope);
            }
        }
        return norm.apply(x, param("model.norm.weight"));
    }

    /** The LM head's weight [V, H] (the embedding matrix when tied). */
    public NDArray lmHeadWeight() {
        return config.tieWordEmbeddings() ? param("model.embed_tokens.weight") : param("lm_head.weight");
    }

    /** Logits [..., V] for hidden states [..., H]. */
    public NDArray logits(NDArray hidden) {
        return Linear.linear(hidden, lmHeadWeight()).head();
    }

    /**
     * Grouped-query attention without copying keys and values per query head: the query heads that
     * share a key/value head are stacked along the time axis ([B, kvHeads, groups * T, headDim]),
     * so one batched matmul per key/value head computes all their scores.
     */
    private NDArray attention(
            NDArray x, int layer, NDArray groupMask, RotaryEmbedding.Angles angles, RmsNorm norm, KvCache cache) {
        String prefix = "model.layers." + layer + ".self_attn.";
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int groups = heads / kvHeads;
        int headDim = config.headDim();

        NDArray q = linear(x, prefix + "q_proj").reshape(batch, length, heads, headDim);
        NDArray k = linear(x, prefix + "k_proj").reshape(batch, length, kvHeads, headDim);
        if (qkNorm) {
            q = norm.apply(q, param(prefix + "q_norm.weight"));
            k = norm.apply(k, param(prefix + "k_norm.weight"));
        }
        q = angles.rotateQueries(q);
        k = angles.rotateKeys(k).transpose(0, 2, 1, 3);
        NDArray v = linear(x, prefix + "v_proj")
                .reshape(batch, length, kvHeads, headDim)
                .transpose(0, 2, 1, 3);
        if (cache != null) {
            NDArray[] all = cache.append(layer, k, v);
            k = all[0];
            v = all[1];
        }
        long keys = k.getShape().get(2);
        NDArray stacked = q.reshape(batch, length, kvHeads, groups, headDim)
                .transpose(0, 2, 3, 1, 4)
                .reshape(batch, kvHeads, groups * length, headDim);
        NDArray scores = stacked.matMul(k.transpose(0, 1, 3, 2))
                .reshape(batch, kvHeads, groups, length, keys)
                .add(groupMask);
        NDArray context = scores.softmax(-1)
                .reshape(batch, kvHeads, groups * length, keys)
                .matMul(v);
        NDArray merged = context.reshape(batch, heads, length, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(batch, length, (long) heads * headDim);
        return linear(merged, prefix + "o_proj");
    }

    private NDArray mlp(NDArray x, String prefix) {
        NDArray gate = linear(x, prefix + "gate_proj");
        NDArray up = linear(x, prefix + "up_proj");
        NDArray activated = gate.mul(gate.getNDArrayInternal().sigmoid());
        return linear(activated.mul(up), prefix + "down_proj");
    }

    private NDArray linear(NDArray x, String name) {
        NDArray bias = parameters.get(name + ".bias");
        return Linear.linear(x, param(name + ".weight"), bias).head();
    }

    /**
     * RMSNorm with its constants for one forward pass. It multiplies by the inverse root rather
     * than dividing by the root, whose backward pass takes several more passes over x.
     */
    private record RmsNorm(NDArray eps, NDArray minusHalf) {
        RmsNorm(NDManager scope, double eps) {
            this(Constants.scalar(scope, (float) eps), Constants.scalar(scope, -0.5f));
        }

        NDArray apply(NDArray x, NDArray weight) {
            NDArray inverseRoot = x.square().mean(new int[] {-1}, true).add(eps).pow(minusHalf);
            return x.mul(inverseRoot).mul(weight);
        }
    }

    /** Hides later tokens and, with a sliding window, those more than window - 1 tokens back. */
    private static NDArray causalMask(NDManager scope, int length, ModelConfig config) {
        float[] mask = new float[length * length];
        for (int row = 0; row < length; row++) {
            for (int col = 0; col < length; col++) {
                if (col > row || !config.attendsAcross(row - col)) {
                    mask[row * length + col] = -1e9f;
                }
            }
        }
        return scope.create(mask, new Shape(1, 1, length, length));
    }

    private NDArray param(String name) {
        NDArray p = parameters.get(name);
        if (p == null) {
            throw new IllegalStateException("model has no tensor " + name);
        }
        return p;
    }

    @Override
    public void close() {
        manager.close();
    }
}
