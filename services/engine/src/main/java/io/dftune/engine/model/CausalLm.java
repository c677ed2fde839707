package io.dftune.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import io.dftune.engine.nd.Constants;
import io.dftune.engine.nd.Leaves;
import io.dftune.engine.nd.TorchCasts;
import java.util.Map;
import java.util.Optional;

/**
 * A decoder-only causal language model with the computation of Hugging Face's
 * {@code LlamaForCausalLM}, {@code Qwen2ForCausalLM}, {@code Qwen3ForCausalLM} and
 * {@code MistralForCausalLM}: RMSNorm, rotary embeddings (plain, linear or llama3 scaling),
 * grouped-query attention (optional q/k/v/o biases, Qwen3's per-head q/k RMSNorm, Mistral's sliding
 * window), SwiGLU MLP, tied or untied LM head.
 *
 * <p>Parameters are keyed by their Hugging Face tensor names, so loading and saving need no name
 * mapping. They are float32, or bfloat16 where they are frozen and stored that way; a bfloat16
 * weight is cast to float32 where it is used, unless matmuls compute in bfloat16
 * ({@link #computeInBfloat16}). A {@link LoraAdapter} may be attached: each layer it targets adds
 * its update, and only its tensors train. Every operation puts the activation first, so results
 * attach to the caller's (per-step) manager and not to the parameters' manager.
 */
public final class CausalLm implements AutoCloseable {
    /**
     * Queries per block of a whole-sequence attention: a block attends only to the keys up to its
     * last query, so the products skip most of the causal mask's masked half (at 512 tokens a
     * quarter of attention's work, at 1024 three eighths).
     */
    public static final int ATTENTION_QUERY_BLOCK = 256;

    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    /** The parameters as full fine-tuning trains them. */
    private final Leaves parameterLeaves;

    private final RotaryEmbedding rotary;
    private final boolean qkNorm;
    private final TorchCasts casts = TorchCasts.get();
    private LoraAdapter adapter;
    private boolean training;
    private boolean bfloat16Compute;
    private int attentionQueryBlock = ATTENTION_QUERY_BLOCK;
    /** False for a view that shares another model's parameters ({@link #withoutAdapter}). */
    private final boolean ownsParameters;

    public CausalLm(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this(config, manager, parameters, true);
    }

    private CausalLm(ModelConfig config, NDManager manager, Map<String, NDArray> parameters, boolean owns) {
        this.ownsParameters = owns;
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.parameterLeaves = new Leaves(parameters);
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

    /**
     * Drops the trainable tensors' gradients before a step's first backward pass ({@link
     * Leaves#releaseGradients}); {@link #trainableParameters} then holds the new leaves.
     */
    public void releaseGradients() {
        if (adapter != null) {
            adapter.releaseGradients();
        } else {
            parameterLeaves.releaseGradients();
        }
    }

    /**
     * What an optimizer updates, by name: the adapter's tensors when one is attached, else every
     * parameter. The map is live: {@link #releaseGradients} replaces its tensors.
     */
    public Map<String, NDArray> trainableParameters() {
        return adapter != null ? adapter.parameters() : parameters;
    }

    /**
     * Adds a LoRA adapter to the layers it targets; from now on only its tensors train. The model
     * owns it and closes it.
     */
    public void attachAdapter(LoraAdapter adapter) {
        if (this.adapter != null) {
            throw new IllegalStateException("the model already has an adapter");
        }
        this.adapter = adapter;
        for (NDArray p : parameters.values()) {
            p.setRequiresGradient(false);
        }
        adapter.setTrainable(training);
    }

    public Optional<LoraAdapter> adapter() {
        return Optional.ofNullable(adapter);
    }

    /**
     * The base model under the adapter: the same parameters, no adapter, never trainable; for the
     * frozen start model that anchored objectives compare with. Closing it closes nothing.
     */
    public CausalLm withoutAdapter() {
        CausalLm base = new CausalLm(config, manager, parameters, false);
        base.bfloat16Compute = bfloat16Compute;
        base.attentionQueryBlock = attentionQueryBlock;
        return base;
    }

    /**
     * Folds the adapter into the weights it targets (W + (alpha / r) B A, computed in float32 and
     * stored in W's type) and drops it: the model then computes what it computed with the adapter.
     */
    public void mergeAdapter() {
        if (adapter == null) {
            throw new IllegalStateException("the model has no adapter to merge");
        }
        for (String name : adapter.targets()) {
            NDArray stored = param(name + ".weight");
            try (NDManager scratch = manager.newSubManager()) {
                NDArray merged = adapter.mergedWeight(
                        name, TorchCasts.isBfloat16(stored) ? casts.toFloat32(stored, scratch) : stored.duplicate());
                merged.attach(scratch);
                casts.fill(stored, 0, merged);
            }
        }
        adapter.close();
        adapter = null;
    }

    /**
     * Whether gradients flow into the trainable tensors (and the adapter's dropout is active); base
     * weights under an adapter never get gradients.
     */
    public void setTrainable(boolean trainable) {
        training = trainable;
        if (adapter != null) {
            adapter.setTrainable(trainable);
            return;
        }
        for (NDArray p : parameters.values()) {
            p.setRequiresGradient(trainable);
        }
    }

    /**
     * Matmuls in bfloat16 (inputs and float32 weights cast for them, results back to float32), as
     * on devices that compute bfloat16 fast; norms, softmax and the residual stream stay float32.
     */
    public void computeInBfloat16(boolean bfloat16) {
        this.bfloat16Compute = bfloat16;
    }

    public boolean computesInBfloat16() {
        return bfloat16Compute;
    }

    /** Final-norm hidden states [B, T, H] for token ids [B, T] (right padding is harmless). */
    public NDArray hiddenStates(NDArray inputIds) {
        return hiddenStates(inputIds, null);
    }

    /**
     * Final-norm hidden states [B, T, H] of token ids [B, T]; with {@code segments}, of rows that each
     * hold several sequences back to back (packing): {@code segments[b]} are the lengths of row b's
     * sequences, in order, padding after them. Positions restart at each sequence and attention stays
     * inside it ({@link PackedRows}), so each sequence's states equal those of its own row.
     *
     * @param segments null for one sequence per row
     */
    public NDArray hiddenStates(NDArray inputIds, int[][] segments) {
        return forward(inputIds, context(inputIds, segments, 0));
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
        return forward(inputIds, context(inputIds, positions, mask, cache, 0));
    }

    /** Embeddings, every layer (each releasing its intermediate arrays when it ends) and the final norm. */
    NDArray forward(NDArray inputIds, Context context) {
        NDManager scope = inputIds.getManager();
        NDArray x = embed(inputIds);
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            // A layer's intermediate arrays are released when it ends, not when the caller's scope
            // does: autograd keeps what backward needs (libtorch counts references), and the rest
            // is memory that the next layer can reuse.
            try (NDManager layerScope = scope.newSubManager()) {
                x.attach(layerScope);
                x = layer(x, layer, context);
                x.attach(scope);
            }
        }
        return finalNorm(x, context);
    }

    /**
     * The forward pass of training for token ids [B, T]: {@link TrainingForward#hidden} are the
     * final-norm hidden states [B, T, H]; {@link TrainingForward#backward} takes their gradient and
     * accumulates the parameters'. With {@code checkpointing}, only each layer's input is kept, and
     * backward recomputes one layer at a time. The adapter's dropout draws from {@code seed}, layer by
     * layer, so a recomputed layer drops what it dropped the first time.
     */
    public TrainingForward trainingForward(NDArray inputIds, boolean checkpointing, long seed) {
        return trainingForward(inputIds, null, checkpointing, seed);
    }

    /** As {@link #trainingForward(NDArray, boolean, long)}, of packed rows ({@link #hiddenStates(NDArray, int[][])}). */
    public TrainingForward trainingForward(NDArray inputIds, int[][] segments, boolean checkpointing, long seed) {
        Context context = context(inputIds, segments, seed);
        return checkpointing
                ? new CheckpointedForward(this, inputIds, context)
                : TrainingForward.of(forward(inputIds, context));
    }

    /**
     * The per-pass constants of a forward pass: norm constants, rotary angles, the mask, the cache,
     * and the seed the adapter's dropout draws from.
     */
    record Context(RmsNorm norm, RotaryEmbedding.Angles angles, NDArray groupMask, KvCache cache, long seed) {
        int dropoutSeed(int layer) {
            return Long.hashCode(seed * 1_000_003L + layer);
        }
    }

    /** The context of a pass over whole sequences: causal within each row, or within each packed segment. */
    private Context context(NDArray inputIds, int[][] segments, long seed) {
        if (segments == null) {
            int length = (int) inputIds.getShape().get(1);
            return context(inputIds, null, causalMask(inputIds.getManager(), length, config), null, seed);
        }
        PackedRows rows = PackedRows.of(
                inputIds.getManager(), segments, (int) inputIds.getShape().get(1), config);
        return context(inputIds, rows.positions(), rows.mask(), null, seed);
    }

    private Context context(NDArray inputIds, NDArray positions, NDArray mask, KvCache cache, long seed) {
        NDManager scope = inputIds.getManager();
        NDArray queryScale = Constants.scalar(scope, (float) (1.0 / Math.sqrt(config.headDim())));
        RotaryEmbedding.Angles angles =
                rotary.angles(scope, (int) inputIds.getShape().get(1), positions, queryScale);
        // One mask for all query heads of a key/value group: [B or 1, 1, 1, T, S + T].
        return new Context(new RmsNorm(scope, config.rmsNormEps()), angles, mask.expandDims(2), cache, seed);
    }

    /** Whether the embedding table gets a gradient (full fine-tuning while trainable). */
    boolean embeddingsTrain() {
        return param("model.embed_tokens.weight").hasGradient();
    }

    /** Token embeddings [B, T, H] in float32. */
    NDArray embed(NDArray inputIds) {
        NDArray table = param("model.embed_tokens.weight");
        NDArray rows = Embedding.embedding(inputIds, table, SparseFormat.DENSE).head();
        return TorchCasts.isBfloat16(rows) ? casts.toFloat32(rows, inputIds.getManager()) : rows;
    }

    /** One decoder layer (attention and MLP, each with its norm and residual) on x [B, T, H]. */
    NDArray layer(NDArray x, int layer, Context c) {
        if (training && adapter != null && adapter.dropsOut()) {
            Engine.getInstance().setRandomSeed(c.dropoutSeed(layer));
        }
        NDManager scope = x.getManager();
        String prefix = "model.layers." + layer + ".";
        NDArray normed = c.norm().apply(x, vector(prefix + "input_layernorm.weight", scope));
        NDArray attended = x.add(attention(normed, layer, c));
        normed = c.norm().apply(attended, vector(prefix + "post_attention_layernorm.weight", scope));
        return attended.add(mlp(normed, prefix + "mlp."));
    }

    /** The final norm on the last layer's output. */
    NDArray finalNorm(NDArray x, Context c) {
        return c.norm().apply(x, vector("model.norm.weight", x.getManager()));
    }

    /** The LM head's stored weight [V, H] (the embedding matrix when tied), float32 or bfloat16. */
    public NDArray lmHeadWeight() {
        return config.tieWordEmbeddings() ? param("model.embed_tokens.weight") : param("lm_head.weight");
    }

    /**
     * The LM head's weight as matmuls take it, in {@code scope}: cast to float32 once when it is
     * stored in bfloat16 and matmuls compute in float32. Fetch it once for many {@link #logits} calls.
     */
    public NDArray lmHead(NDManager scope) {
        NDArray head = lmHeadWeight();
        return TorchCasts.isBfloat16(head) && !bfloat16Compute ? casts.toFloat32(head, scope) : head;
    }

    /** Logits [..., V] (float32) for hidden states [..., H]. */
    public NDArray logits(NDArray hidden) {
        return logits(hidden, lmHead(hidden.getManager()));
    }

    /** Logits [..., V] (float32) for hidden states [..., H], with the head from {@link #lmHead}. */
    public NDArray logits(NDArray hidden, NDArray head) {
        return matmul(hidden, head, null);
    }

    /**
     * Grouped-query attention without copying keys and values per query head: the query heads that
     * share a key/value head are stacked along the time axis ([B, kvHeads, groups * T, headDim]),
     * so one batched matmul per key/value head computes all their scores.
     */
    private NDArray attention(NDArray x, int layer, Context c) {
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
            q = c.norm().apply(q, vector(prefix + "q_norm.weight", x.getManager()));
            k = c.norm().apply(k, vector(prefix + "k_norm.weight", x.getManager()));
        }
        q = c.angles().rotateQueries(q);
        k = c.angles().rotateKeys(k).transpose(0, 2, 1, 3);
        NDArray v = linear(x, prefix + "v_proj")
                .reshape(batch, length, kvHeads, headDim)
                .transpose(0, 2, 1, 3);
        if (c.cache() != null) {
            NDArray[] all = c.cache().append(layer, k, v);
            k = all[0];
            v = all[1];
        }
        NDArray grouped = q.reshape(batch, length, kvHeads, groups, headDim).transpose(0, 2, 3, 1, 4);
        NDArray context;
        if (c.cache() == null && length > attentionQueryBlock) {
            // Causal: no query sees a key after it, so a block's scores stop at its last query.
            NDList blocks = new NDList();
            for (long start = 0; start < length; start += attentionQueryBlock) {
                long end = Math.min(length, start + attentionQueryBlock);
                blocks.add(attend(
                        grouped.get(new NDIndex(":, :, :, {}:{}", start, end)),
                        k.get(new NDIndex(":, :, :{}", end)),
                        v.get(new NDIndex(":, :, :{}", end)),
                        c.groupMask().get(new NDIndex(":, :, :, {}:{}, :{}", start, end, end))));
            }
            context = NDArrays.concat(blocks, 3);
        } else {
            context = attend(grouped, k, v, c.groupMask());
        }
        NDArray merged = context.reshape(batch, heads, length, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(batch, length, (long) heads * headDim);
        return linear(merged, prefix + "o_proj");
    }

    /**
     * Softmax attention of queries [B, kv, groups, T, hd] (already scaled) over keys and values
     * [B, kv, S, hd] under the additive mask [B or 1, 1, 1, T, S]: [B, kv, groups, T, hd]. The
     * queries of a key/value group are stacked into one product with its keys.
     */
    private static NDArray attend(NDArray queries, NDArray k, NDArray v, NDArray mask) {
        Shape shape = queries.getShape();
        long batch = shape.get(0);
        long kvHeads = shape.get(1);
        long groups = shape.get(2);
        long length = shape.get(3);
        long headDim = shape.get(4);
        long keys = k.getShape().get(2);
        NDArray scores = queries.reshape(batch, kvHeads, groups * length, headDim)
                .matMul(k.transpose(0, 1, 3, 2))
                .reshape(batch, kvHeads, groups, length, keys)
                .add(mask);
        return scores.softmax(-1)
                .reshape(batch, kvHeads, groups * length, keys)
                .matMul(v)
                .reshape(batch, kvHeads, groups, length, headDim);
    }

    /** Queries per attention block ({@link #ATTENTION_QUERY_BLOCK}); tests make it small. */
    void attentionQueryBlock(int queries) {
        this.attentionQueryBlock = queries;
    }

    private NDArray mlp(NDArray x, String prefix) {
        NDArray gate = linear(x, prefix + "gate_proj");
        NDArray up = linear(x, prefix + "up_proj");
        NDArray activated = gate.mul(gate.getNDArrayInternal().sigmoid());
        return linear(activated.mul(up), prefix + "down_proj");
    }

    /** A linear layer by its module name, plus the adapter's update where it targets the layer. */
    private NDArray linear(NDArray x, String name) {
        NDArray bias = parameters.containsKey(name + ".bias") ? vector(name + ".bias", x.getManager()) : null;
        NDArray out = matmul(x, param(name + ".weight"), bias);
        if (adapter != null && adapter.adapts(name)) {
            out = out.add(adapter.delta(x, name, training));
        }
        return out;
    }

    /** x W^T (+ bias) in float32, with the matmul itself in bfloat16 when so computing. */
    private NDArray matmul(NDArray x, NDArray weight, NDArray bias) {
        NDManager scope = x.getManager();
        if (bfloat16Compute) {
            NDArray w = TorchCasts.isBfloat16(weight) ? weight : casts.toBfloat16(weight, scope);
            NDArray product = Linear.linear(casts.toBfloat16(x, scope), w).head();
            NDArray out = casts.toFloat32(product, scope);
            return bias == null ? out : out.add(bias);
        }
        NDArray w = TorchCasts.isBfloat16(weight) ? casts.toFloat32(weight, scope) : weight;
        return Linear.linear(x, w, bias).head();
    }

    /** A norm weight or bias, in float32. */
    private NDArray vector(String name, NDManager scope) {
        NDArray p = param(name);
        return TorchCasts.isBfloat16(p) ? casts.toFloat32(p, scope) : p;
    }

    /**
     * RMSNorm with its constants for one forward pass. It multiplies by the inverse root rather
     * than dividing by the root, whose backward pass takes several more passes over x.
     */
    record RmsNorm(NDArray eps, NDArray minusHalf) {
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
        if (adapter != null) {
            adapter.close();
        }
        if (ownsParameters) {
            manager.close();
        }
    }
}
