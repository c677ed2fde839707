package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.SafetensorsWriter;
import io.dftune.engine.nd.Constants;
import io.dftune.engine.nd.Leaves;
import io.dftune.spec.AdapterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A LoRA adapter as PEFT defines it: a targeted linear layer with frozen weight W [out, in] computes
 * {@code W x + (alpha / r) B A dropout(x)} with A [r, in] and B [out, r]. A new adapter has A drawn
 * Kaiming-uniform and B zero, so it starts out as the base model exactly. Its tensors carry PEFT's
 * names ({@code base_model.model.<module>.lora_A.weight}), and {@link #save} writes a directory
 * that {@code peft.PeftModel.from_pretrained} loads unchanged.
 */
public final class LoraAdapter implements AutoCloseable {
    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final String PEFT_PREFIX = "base_model.model.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int rank;
    private final double alpha;
    private final double dropout;
    private final List<String> targetModules;
    private final NDManager manager;
    /** The adapted modules (e.g. {@code model.layers.0.self_attn.q_proj}), in layer order. */
    private final List<String> modules;
    /** A and B of every module by PEFT name, A before B, in layer order; {@link #releaseGradients} replaces them. */
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();

    private final Leaves leaves = new Leaves(tensors);
    /** alpha / r as a 0-d array that outlives every backward pass (never {@code mul(Number)} in a graph). */
    private final NDArray scalingArray;
    /** alpha / r / (1 - dropout): the scaling of an input that dropout thinned. */
    private final NDArray droppedScalingArray;
    /** What dropout puts where it drops, a 0-d array for the same reason as the scalings. */
    private final NDArray zero;

    /** The A [r, in] and B [out, r] of one adapted layer. */
    public record Pair(NDArray a, NDArray b) {}

    private LoraAdapter(
            int rank,
            double alpha,
            double dropout,
            List<String> targetModules,
            NDManager manager,
            Map<String, Pair> pairs) {
        this.rank = rank;
        this.alpha = alpha;
        this.dropout = dropout;
        this.targetModules = List.copyOf(targetModules);
        this.manager = manager;
        this.modules = List.copyOf(pairs.keySet());
        pairs.forEach((module, pair) -> {
            tensors.put(peftName(module, "lora_A"), pair.a());
            tensors.put(peftName(module, "lora_B"), pair.b());
        });
        this.scalingArray = Constants.scalar(manager, (float) (alpha / rank));
        this.droppedScalingArray = Constants.scalar(manager, (float) (alpha / rank / (1 - dropout)));
        this.zero = Constants.scalar(manager, 0f);
    }

    /**
     * A new adapter for every layer of {@code config} that {@code spec} targets: A Kaiming-uniform
     * (bound 1/sqrt(in), as PEFT initialises it), B zero.
     */
    public static LoraAdapter initialize(ModelConfig config, AdapterSpec spec, NDManager parent, long seed) {
        NDManager manager = parent.newSubManager();
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Pair> pairs = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> target :
                targets(config, spec.effectiveTargetModules()).entrySet()) {
            int out = Math.toIntExact(target.getValue()[0]);
            int in = Math.toIntExact(target.getValue()[1]);
            float bound = (float) (1.0 / Math.sqrt(in));
            float[] a = new float[spec.getRank() * in];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            pairs.put(
                    target.getKey(),
                    new Pair(
                            manager.create(a, new Shape(spec.getRank(), in)),
                            manager.zeros(new Shape(out, spec.getRank()))));
        }
        return new LoraAdapter(
                spec.getRank(), spec.getAlpha(), spec.getDropout(), spec.effectiveTargetModules(), manager, pairs);
    }

    /**
     * A PEFT adapter directory, to continue training it under {@code spec} (whose rank, alpha and
     * target modules must match the directory's) or to apply it.
     *
     * @throws ModelWeightsException the directory is not a LoRA adapter for this model and spec
     */
    public static LoraAdapter load(Path dir, ModelConfig config, AdapterSpec spec, NDManager parent)
            throws IOException {
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelWeightsException(dir + ": no " + CONFIG_FILE + "; not a PEFT adapter directory");
        }
        JsonNode peft = JSON.readTree(configFile.toFile());
        String type = peft.path("peft_type").asText("");
        if (!type.equals("LORA")) {
            throw new ModelWeightsException(configFile + ": peft_type is \"" + type + "\", only LORA adapters load");
        }
        int rank = peft.path("r").asInt();
        double alpha = peft.path("lora_alpha").asDouble();
        List<String> modules = targetModulesOf(peft.path("target_modules"));
        if (spec != null) {
            require(configFile, "r", rank, "spec.adapter.rank", spec.getRank());
            require(configFile, "lora_alpha", alpha, "spec.adapter.alpha", spec.getAlpha());
            if (!modules.containsAll(spec.effectiveTargetModules())
                    || !spec.effectiveTargetModules().containsAll(modules)) {
                throw new ModelWeightsException(configFile + ": target_modules " + modules
                        + " differ from spec.adapter.targetModules " + spec.effectiveTargetModules());
            }
        }
        double dropout =
                spec != null ? spec.getDropout() : peft.path("lora_dropout").asDouble();
        Map<String, long[]> targets = targets(config, modules);
        NDManager manager = parent.newSubManager();
        try {
            Map<String, NDArray> tensors = SafetensorsReader.read(dir.resolve(WEIGHTS_FILE), manager);
            Map<String, Pair> pairs = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> target : targets.entrySet()) {
                String module = target.getKey();
                NDArray a = tensor(tensors, dir, module, "lora_A", new long[] {rank, target.getValue()[1]});
                NDArray b = tensor(tensors, dir, module, "lora_B", new long[] {target.getValue()[0], rank});
                pairs.put(module, new Pair(a, b));
            }
            if (tensors.size() != 2 * pairs.size()) {
                List<String> extra = new ArrayList<>(tensors.keySet());
                pairs.keySet().forEach(m -> {
                    extra.remove(peftName(m, "lora_A"));
                    extra.remove(peftName(m, "lora_B"));
                });
                throw new ModelWeightsException(dir.resolve(WEIGHTS_FILE) + ": unexpected tensors " + extra);
            }
            return new LoraAdapter(rank, alpha, dropout, modules, manager, pairs);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Whether {@code dir} holds a PEFT adapter rather than a full model. */
    public static boolean isAdapterDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG_FILE));
    }

    /** The base model's directory that an adapter directory names ({@code base_model_name_or_path}). */
    public static String baseModelOf(Path dir) throws IOException {
        return JSON.readTree(dir.resolve(CONFIG_FILE).toFile())
                .path("base_model_name_or_path")
                .asText("");
    }

    /**
     * Writes {@code adapter_config.json} and {@code adapter_model.safetensors} as PEFT does.
     *
     * @param baseModel what {@code base_model_name_or_path} records: the base's directory
     */
    public void save(Path dir, String baseModel) throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.put("peft_type", "LORA");
        config.put("task_type", "CAUSAL_LM");
        config.put("base_model_name_or_path", baseModel);
        config.put("r", rank);
        config.put("lora_alpha", alpha);
        config.put("lora_dropout", dropout);
        config.putPOJO("target_modules", targetModules);
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("inference_mode", true);
        config.put("init_lora_weights", true);
        config.put("use_rslora", false);
        config.put("use_dora", false);
        config.putNull("modules_to_save");
        config.putNull("layers_to_transform");
        config.putNull("revision");
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve(CONFIG_FILE).toFile(), config);
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), parameters());
    }

    /** Trainable tensors by PEFT name, A before B per module, in layer order; a live view. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Drops the tensors' gradients before a step's first backward pass ({@link Leaves#releaseGradients}). */
    public void releaseGradients() {
        leaves.releaseGradients();
    }

    public boolean adapts(String module) {
        return tensors.containsKey(peftName(module, "lora_A"));
    }

    private NDArray a(String module) {
        return tensors.get(peftName(module, "lora_A"));
    }

    private NDArray b(String module) {
        return tensors.get(peftName(module, "lora_B"));
    }

    /** Whether training drops some of the adapter's input. */
    public boolean dropsOut() {
        return dropout > 0;
    }

    public double scaling() {

        return alpha / rank;
    }

    public int rank() {
        return rank;
    }

    /**
     * The adapter's contribution (alpha / r) B A dropout(x) [..., out] to the layer {@code module} for
     * its input x [..., in]; dropout only while {@code training}.
     *
     * <p>Dropout is PEFT's, a fresh mask for each adapted layer: x * keep / (1 - p), keep true with
     * probability 1 - p. The mask is drawn as uniform values compared with p and kept as booleans
     * (applied by where, so no pass turns it into floats), and 1 / (1 - p) joins alpha / r on the
     * rank-r product. libtorch's own dropout draws slower Bernoulli values and keeps a float32 mask,
     * and scaling the [..., out] result is a pass over it forward and backward: together 0.35 s more
     * of a 0.5B model's 8.7 s LoRA step (length 512).
     */
    public NDArray delta(NDArray x, String module, boolean training) {
        NDArray input = x;
        NDArray scaling = scalingArray;
        if (training && dropout > 0) {
            NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte((float) dropout);
            input = NDArrays.where(keep, x, zero);
            scaling = droppedScalingArray;
        }
        NDArray low = Linear.linear(input, a(module)).head().mul(scaling);
        return Linear.linear(low, b(module)).head();
    }

    /** The module names of the adapted layers, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public List<String> targets() {
        return modules;
    }

    /** W + (alpha / r) B A for the layer {@code module}, from its float32 weight W [out, in]. */
    public NDArray mergedWeight(String module, NDArray weight) {
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray update = b(module).matMul(a(module));
            update.attach(scope);
            NDArray merged = weight.add(update.mul(scalingArray));
            merged.attach(weight.getManager());
            return merged;
        }
    }

    public void setTrainable(boolean trainable) {
        for (NDArray tensor : tensors.values()) {
            tensor.setRequiresGradient(trainable);
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** The weight shapes [out, in] of the layers that {@code modules} names, by module name. */
    static Map<String, long[]> targets(ModelConfig config, List<String> modules) {
        Map<String, long[]> targets = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : config.parameterShapes().entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("model.layers.") || !name.endsWith(".weight")) {
                continue;
            }
            String module = name.substring(0, name.length() - ".weight".length());
            String leaf = module.substring(module.lastIndexOf('.') + 1);
            if (modules.contains(leaf)) {
                targets.put(module, e.getValue());
            }
        }
        return targets;
    }

    private static String peftName(String module, String part) {
        return PEFT_PREFIX + module + "." + part + ".weight";
    }

    private static NDArray tensor(Map<String, NDArray> tensors, Path dir, String module, String part, long[] shape)
            throws ModelWeightsException {
        String name = peftName(module, part);
        NDArray t = tensors.get(name);
        if (t == null) {
            throw new ModelWeightsException(dir.resolve(WEIGHTS_FILE) + ": missing " + name);
        }
        if (!Arrays.equals(t.getShape().getShape(), shape)) {
            throw new ModelWeightsException(dir.resolve(WEIGHTS_FILE) + ": " + name + " has shape " + t.getShape()
                    + ", expected " + new Shape(shape));
        }
        return t;
    }

    private static List<String> targetModulesOf(JsonNode node) {
        List<String> modules = new ArrayList<>();
        if (node.isTextual()) {
            String text = node.asText();
            return text.equals(AdapterSpec.ALL_LINEAR) ? AdapterSpec.LINEAR_MODULES : List.of(text);
        }
        node.forEach(m -> modules.add(m.asText()));
        return modules.contains(AdapterSpec.ALL_LINEAR) ? AdapterSpec.LINEAR_MODULES : modules;
    }

    private static void require(Path file, String key, double actual, String field, double wanted)
            throws ModelWeightsException {
        if (actual != wanted) {
            throw new ModelWeightsException(file + ": " + key + " is " + format(actual) + " but " + field + " is "
                    + format(wanted) + "; a continued adapter keeps its shape and scale");
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
