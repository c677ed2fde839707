package io.dftune.engine.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Builds a config programmatically (tests, the project's own example model). It writes the same
 * JSON fields Hugging Face does, then parses them, so a built config behaves like a read one.
 */
public final class ModelConfigBuilder {
    private final Architecture architecture;
    private int vocabSize;
    private int hiddenSize;
    private int intermediateSize;
    private int numHiddenLayers;
    private int numAttentionHeads;
    private int numKeyValueHeads;
    private Integer headDim;
    private double rmsNormEps = 1e-6;
    private double ropeTheta;
    private ObjectNode ropeScaling;
    private Integer slidingWindow;
    private boolean tieWordEmbeddings;
    private boolean attentionBias;
    private boolean mlpBias;
    private int maxPositionEmbeddings;
    private Integer bosTokenId;
    private List<Integer> eosTokenIds = List.of();
    private String torchDtype = "float32";

    ModelConfigBuilder(Architecture architecture) {
        this.architecture = architecture;
        this.ropeTheta = architecture == Architecture.LLAMA ? 10_000.0 : 1_000_000.0;
        this.maxPositionEmbeddings = architecture.defaultMaxPositionEmbeddings();
    }

    public ModelConfigBuilder sizes(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads) {
        this.vocabSize = vocab;
        this.hiddenSize = hidden;
        this.intermediateSize = intermediate;
        this.numHiddenLayers = layers;
        this.numAttentionHeads = heads;
        this.numKeyValueHeads = kvHeads;
        return this;
    }

    /** Only written to config.json when it differs from hidden / heads. */
    public ModelConfigBuilder headDim(int headDim) {
        this.headDim = headDim;
        return this;
    }

    public ModelConfigBuilder rmsNormEps(double eps) {
        this.rmsNormEps = eps;
        return this;
    }

    public ModelConfigBuilder ropeTheta(double theta) {
        this.ropeTheta = theta;
        return this;
    }

    /** transformers 4's rope_scaling object, e.g. {@code {"rope_type": "llama3", "factor": 32.0, ...}}; null for none. */
    public ModelConfigBuilder ropeScaling(ObjectNode scaling) {
        this.ropeScaling = scaling == null ? null : scaling.deepCopy();
        return this;
    }

    /** Mistral only: the attention window in tokens, null for full attention. */
    public ModelConfigBuilder slidingWindow(Integer window) {
        this.slidingWindow = window;
        return this;
    }

    public ModelConfigBuilder tieWordEmbeddings(boolean tied) {
        this.tieWordEmbeddings = tied;
        return this;
    }

    /** Llama and Qwen3: biases on q, k, v and o projections. */
    public ModelConfigBuilder attentionBias(boolean bias) {
        this.attentionBias = bias;
        return this;
    }

    /** Llama only: biases on the MLP projections. */
    public ModelConfigBuilder mlpBias(boolean bias) {
        this.mlpBias = bias;
        return this;
    }

    public ModelConfigBuilder maxPositionEmbeddings(int max) {
        this.maxPositionEmbeddings = max;
        return this;
    }

    public ModelConfigBuilder bosTokenId(Integer id) {
        this.bosTokenId = id;
        return this;
    }

    public ModelConfigBuilder eosTokenIds(List<Integer> ids) {
        this.eosTokenIds = List.copyOf(ids);
        return this;
    }

    public ModelConfigBuilder torchDtype(String dtype) {
        this.torchDtype = dtype;
        return this;
    }

    /** Throws {@link ModelConfigException} naming the offending field. */
    public ModelConfig build() {
        if (attentionBias && architecture != Architecture.LLAMA && architecture != Architecture.QWEN3) {
            throw new ModelConfigException(
                    "attention_bias is a Llama and Qwen3 setting (Qwen2 has fixed q/k/v " + "biases, Mistral none)");
        }
        if (mlpBias && architecture != Architecture.LLAMA) {
            throw new ModelConfigException("mlp_bias is a Llama setting");
        }
        if (slidingWindow != null && architecture != Architecture.MISTRAL) {
            throw new ModelConfigException("sliding_window is a Mistral setting here");
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putArray("architectures").add(architecture.className());
        json.put("model_type", architecture.modelType());
        json.put("vocab_size", vocabSize);
        json.put("hidden_size", hiddenSize);
        json.put("intermediate_size", intermediateSize);
        json.put("num_hidden_layers", numHiddenLayers);
        json.put("num_attention_heads", numAttentionHeads);
        json.put("num_key_value_heads", numKeyValueHeads);
        if (architecture == Architecture.QWEN3) { // its config class defaults head_dim to 128, not hidden / heads
            json.put("head_dim", headDim != null ? headDim : hiddenSize / numAttentionHeads);
        } else if (headDim != null
                && (numAttentionHeads == 0
                        || headDim != hiddenSize / numAttentionHeads
                        || hiddenSize % numAttentionHeads != 0)) {
            json.put("head_dim", headDim);
        }
        json.put("hidden_act", "silu");
        json.put("rms_norm_eps", rmsNormEps);
        json.put("rope_theta", ropeTheta);
        if (ropeScaling == null) {
            json.putNull("rope_scaling");
        } else {
            json.set("rope_scaling", ropeScaling.deepCopy());
        }
        json.put("max_position_embeddings", maxPositionEmbeddings);
        json.put("tie_word_embeddings", tieWordEmbeddings);
        switch (architecture) {
            case LLAMA -> {
                json.put("attention_bias", attentionBias);
                json.put("mlp_bias", mlpBias);
            }
            case QWEN2 -> json.put("use_sliding_window", false);
            case QWEN3 -> {
                json.put("attention_bias", attentionBias);
                json.put("use_sliding_window", false);
            }
            case MISTRAL -> {
                if (slidingWindow == null) {
                    json.putNull("sliding_window");
                } else {
                    json.put("sliding_window", slidingWindow);
                }
            }
        }
        if (bosTokenId != null) {
            json.put("bos_token_id", bosTokenId);
        }
        if (eosTokenIds.size() == 1) {
            json.put("eos_token_id", eosTokenIds.get(0));
        } else if (!eosTokenIds.isEmpty()) {
            eosTokenIds.forEach(json.putArray("eos_token_id")::add);
        }
        json.put("torch_dtype", torchDtype);
        return ModelConfig.fromJson(json);
    }
}
