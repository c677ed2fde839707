package io.dftune.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.io.HfJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face config.json of a supported causal LM ({@link Architecture}). The original JSON tree is kept, so
 * {@link #write} reproduces fields this class does not know. Instances are immutable.
 */
public final class ModelConfig {
    public static final String FILE_NAME = "config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode json;
    private final Architecture architecture;
    private final int vocabSize;
    private final int hiddenSize;
    private final int intermediateSize;
    private final int numHiddenLayers;
    private final int numAttentionHeads;
    private final int numKeyValueHeads;
    private final int headDim;
    private final double rmsNormEps;
    private final RopeSettings rope;
    private final boolean tieWordEmbeddings;
    private final boolean attentionQkvBias;
    private final boolean attentionOutputBias;
    private final boolean mlpBias;
    private final boolean qkNorm;
    private final int slidingWindow;
    private final int maxPositionEmbeddings;
    private final Integer bosTokenId;
    private final List<Integer> eosTokenIds;
    private final String torchDtype;

    private ModelConfig(ObjectNode json) {
        this.json = json;
        ConfigFields f = new ConfigFields(json);
        architecture = architecture(f);
        vocabSize = f.requiredPositiveInt("vocab_size");
        hiddenSize = f.requiredPositiveInt("hidden_size");
        intermediateSize = f.requiredPositiveInt("intermediate_size");
        numHiddenLayers = f.requiredPositiveInt("num_hidden_layers");
        numAttentionHeads = f.requiredPositiveInt("num_attention_heads");
        numKeyValueHeads = f.positiveInt("num_key_value_heads", architecture.defaultKeyValueHeads(numAttentionHeads));
        Integer defaultHeadDim = architecture.defaultHeadDim(hiddenSize, numAttentionHeads);
        if (!f.has("head_dim") && defaultHeadDim == null) {
            throw new ModelConfigException("hidden_size (" + hiddenSize + ") must be divisible by num_attention_heads ("
                    + numAttentionHeads + ") when head_dim is not set");
        }
        headDim = f.positiveInt("head_dim", defaultHeadDim == null ? 0 : defaultHeadDim);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new ModelConfigException("num_key_value_heads (" + numKeyValueHeads
                    + ") must divide num_attention_heads (" + numAttentionHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new ModelConfigException("head_dim (" + headDim + ") must be even for rotary position embeddings");
        }
        rmsNormEps = f.positiveDouble("rms_norm_eps", 1e-6);
        String act = f.text("hidden_act");
        if (act != null && !act.equals("silu")) {
            throw new ModelConfigException("hidden_act \"" + act + "\" is not supported (only silu)");
        }
        tieWordEmbeddings = f.bool("tie_word_embeddings", false);
        boolean attentionBias =
                switch (architecture) {
                    case LLAMA, QWEN3 -> f.bool("attention_bias", false);
                    case QWEN2 -> true;
                    case MISTRAL -> false;
                };
        attentionQkvBias = attentionBias;
        attentionOutputBias = attentionBias && architecture != Architecture.QWEN2;
        mlpBias = architecture == Architecture.LLAMA && f.bool("mlp_bias", false);
        qkNorm = architecture.hasQkNorm();
        slidingWindow = slidingWindow(f, architecture);
        maxPositionEmbeddings = f.positiveInt("max_position_embeddings", architecture.defaultMaxPositionEmbeddings());
        rope = RopeSettings.read(f, maxPositionEmbeddings);
        bosTokenId = f.tokenId("bos_token_id");
        eosTokenIds = List.copyOf(f.tokenIds("eos_token_id"));
        torchDtype = f.has("torch_dtype") ? f.text("torch_dtype") : f.text("dtype");
    }

    /**
     * Mistral attends within {@code sliding_window} tokens (4096 when the key is absent, as its
     * config class defaults; none when null). Qwen2 and Qwen3 use a window only in layers from
     * max_window_layers on and only with use_sliding_window, which no released config sets; those
     * per-layer windows are refused.
     */
    private static int slidingWindow(ConfigFields f, Architecture architecture) {
        switch (architecture) {
            case MISTRAL:
                return f.hasKey("sliding_window") ? f.positiveInt("sliding_window", 0) : 4096;
            case QWEN2, QWEN3:
                if (f.bool("use_sliding_window", false)) {
                    throw new ModelConfigException("use_sliding_window=true is not supported (sliding windows in the "
                            + "layers from max_window_layers on); only full attention for " + architecture.className());
                }
                JsonNode layerTypes = f.node("layer_types");
                if (layerTypes != null) {
                    for (JsonNode type : layerTypes) {
                        if (!type.asText().equals("full_attention")) {
                            throw new ModelConfigException("layer_types: \"" + type.asText()
                                    + "\" is not supported (only full_attention for " + architecture.className() + ")");
                        }
                    }
                }
                return 0;
            default:
                return 0;
        }
    }

    private static Architecture architecture(ConfigFields f) {
        JsonNode architectures = f.node("architectures");
        if (architectures != null && architectures.isArray() && architectures.size() > 0) {
            String name = architectures.get(0).asText();
            Architecture a = Architecture.fromClassName(name);
            if (a == null) {
                throw new ModelConfigException(
                        "architecture " + name + " is not supported (supported: " + Architecture.supportedList() + ")");
            }
            return a;
        }
        String type = f.text("model_type");
        if (type == null) {
            throw new ModelConfigException(
                    "neither architectures nor model_type is set (supported: " + Architecture.supportedList() + ")");
        }
        Architecture a = Architecture.fromModelType(type);
        if (a == null) {
            throw new ModelConfigException(
                    "model_type " + type + " is not supported (supported: " + Architecture.supportedList() + ")");
        }
        return a;
    }

    /** Parses and validates a config tree (copied); throws {@link ModelConfigException} naming the field. */
    public static ModelConfig fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new ModelConfigException("config is not a JSON object");
        }
        return new ModelConfig(((ObjectNode) json).deepCopy());
    }

    public static ModelConfig parse(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new ModelConfigException("config is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Reads {@code config.json}, or {@code dir/config.json} when given a directory. Content problems
     * throw {@link ModelConfigException} with the file in the message.
     */
    public static ModelConfig read(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE_NAME) : fileOrDir;
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelConfigException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        try {
            return fromJson(tree);
        } catch (ModelConfigException e) {
            throw new ModelConfigException(file + ": " + e.getMessage());
        }
    }

    /**
     * Writes the JSON tree to {@code config.json}, or {@code dir/config.json} when given a directory,
     * formatted as transformers writes it.
     */
    public void write(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE_NAME) : fileOrDir;
        HfJson.write(file, json);
    }

    /** A copy of the JSON tree this config was read from (unknown fields included). */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /** A copy that records the dtype the weights are saved in (e.g. "float32", "bfloat16"). */
    public ModelConfig withTorchDtype(String dtype) {
        ObjectNode copy = json.deepCopy();
        if (copy.has("dtype") && !copy.has("torch_dtype")) { // the name transformers 5 writes
            copy.put("dtype", dtype);
        } else {
            copy.put("torch_dtype", dtype);
            if (copy.has("dtype")) {
                copy.put("dtype", dtype);
            }
        }
        return new ModelConfig(copy);
    }

    /**
     * Every tensor a Hugging Face checkpoint of this config holds, name to shape, in a fixed order.
     * {@code lm_head.weight} is left out when the embeddings are tied.
     */
    public Map<String, long[]> parameterShapes() {
        long h = hiddenSize;
        long q = (long) numAttentionHeads * headDim;
        long kv = (long) numKeyValueHeads * headDim;
        long i = intermediateSize;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {vocabSize, h});
        for (int layer = 0; layer < numHiddenLayers; layer++) {
            String p = "model.layers." + layer + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {h});
            linear(shapes, p + "self_attn.q_proj", q, h, attentionQkvBias);
            linear(shapes, p + "self_attn.k_proj", kv, h, attentionQkvBias);
            linear(shapes, p + "self_attn.v_proj", kv, h, attentionQkvBias);
            linear(shapes, p + "self_attn.o_proj", h, q, attentionOutputBias);
            if (qkNorm) {
                shapes.put(p + "self_attn.q_norm.weight", new long[] {headDim});
                shapes.put(p + "self_attn.k_norm.weight", new long[] {headDim});
            }
            shapes.put(p + "post_attention_layernorm.weight", new long[] {h});
            linear(shapes, p + "mlp.gate_proj", i, h, mlpBias);
            linear(shapes, p + "mlp.up_proj", i, h, mlpBias);
            linear(shapes, p + "mlp.down_proj", h, i, mlpBias);
        }
        shapes.put("model.norm.weight", new long[] {h});
        if (!tieWordEmbeddings) {
            shapes.put("lm_head.weight", new long[] {vocabSize, h});
        }
        return shapes;
    }

    private static void linear(Map<String, long[]> shapes, String prefix, long out, long in, boolean bias) {
        shapes.put(prefix + ".weight", new long[] {out, in});
        if (bias) {
            shapes.put(prefix + ".bias", new long[] {out});
        }
    }

    /** Number of scalar parameters in {@link #parameterShapes()}. */
    public long parameterCount() {
        long n = 0;
        for (long[] shape : parameterShapes().values()) {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            n += size;
        }
        return n;
    }

    public static ModelConfigBuilder builder(Architecture architecture) {
        return new ModelConfigBuilder(architecture);
    }

    /** A Llama config with the builder's defaults for everything not given. */
    public static ModelConfig llama(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads) {
        return builder(Architecture.LLAMA)
                .sizes(vocab, hidden, intermediate, layers, heads, kvHeads)
                .build();
    }

    /** A Qwen2 config with the builder's defaults for everything not given. */
    public static ModelConfig qwen2(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads) {
        return builder(Architecture.QWEN2)
                .sizes(vocab, hidden, intermediate, layers, heads, kvHeads)
                .build();
    }

    public Architecture architecture() {
        return architecture;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int intermediateSize() {
        return intermediateSize;
    }

    public int numHiddenLayers() {
        return numHiddenLayers;
    }

    public int numAttentionHeads() {
        return numAttentionHeads;
    }

    public int numKeyValueHeads() {
        return numKeyValueHeads;
    }

    public int headDim() {
        return headDim;
    }

    public double rmsNormEps() {
        return rmsNormEps;
    }

    public double ropeTheta() {
        return rope.theta();
    }

    /** Rotary embedding type, theta and scaling, from either config layout. */
    public RopeSettings rope() {
        return rope;
    }

    public boolean tieWordEmbeddings() {
        return tieWordEmbeddings;
    }

    /**
     * Whether q_proj, k_proj and v_proj have biases (always for Qwen2, never for Mistral;
     * attention_bias for Llama and Qwen3).
     */
    public boolean attentionQkvBias() {
        return attentionQkvBias;
    }

    /** Whether o_proj has a bias (never for Qwen2 and Mistral; attention_bias for Llama and Qwen3). */
    public boolean attentionOutputBias() {
        return attentionOutputBias;
    }

    /** Whether gate/up/down projections have biases (Llama's mlp_bias; never for Qwen2). */
    public boolean mlpBias() {
        return mlpBias;
    }

    /** Whether queries and keys pass a per-head RMSNorm (q_norm, k_norm) before RoPE (Qwen3). */
    public boolean qkNorm() {
        return qkNorm;
    }

    /**
     * The attention window in tokens (each query sees itself and the {@code window - 1} tokens
     * before it), or empty for full causal attention.
     */
    public OptionalInt slidingWindow() {
        return slidingWindow > 0 ? OptionalInt.of(slidingWindow) : OptionalInt.empty();
    }

    /** Whether a query may attend to a key {@code distance} >= 0 positions before it. */
    public boolean attendsAcross(long distance) {
        return slidingWindow == 0 || distance < slidingWindow;
    }

    public int maxPositionEmbeddings() {
        return maxPositionEmbeddings;
    }

    /** May be null. */
    public Integer bosTokenId() {
        return bosTokenId;
    }

    /** eos_token_id as a list (one element when config.json has a single integer; empty when unset). */
    public List<Integer> eosTokenIds() {
        return eosTokenIds;
    }

    /** May be null. */
    public String torchDtype() {
        return torchDtype;
    }

    @Override
    public String toString() {
        return architecture.className() + "(vocab=" + vocabSize + ", hidden=" + hiddenSize + ", intermediate="
                + intermediateSize + ", layers=" + numHiddenLayers + ", heads=" + numAttentionHeads + ", kvHeads="
                + numKeyValueHeads + ", headDim=" + headDim + ", tied=" + tieWordEmbeddings + ", " + rope
                + (slidingWindow > 0 ? ", window=" + slidingWindow : "") + ")";
    }
}
