package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.io.SafetensorsDType;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.ShardedSafetensorsWriter;
import io.dftune.engine.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads and saves a model's weights under their Hugging Face names, checked against config.json:
 * every tensor {@link ModelConfig#parameterShapes()} lists must be there with that shape.
 */
public final class ModelWeights {
    private static final String TIED_HEAD = "lm_head.weight";

    private ModelWeights() {}

    /**
     * Reads the weights of {@code modelDir} (model.safetensors or a sharded index) as float32 arrays
     * in {@code manager}, in {@link ModelConfig#parameterShapes()} order. Names and shapes are checked
     * before any data is read. Tolerated and not loaded: {@code lm_head.weight} when the embeddings
     * are tied, and rotary {@code inv_freq} buffers that old checkpoints carry.
     *
     * @throws ModelWeightsException a tensor is missing, unexpected or has the wrong shape
     */
    public static Map<String, NDArray> load(Path modelDir, ModelConfig config, NDManager manager) throws IOException {
        return load(modelDir, config, manager, false);
    }

    /** As {@link #load(Path, ModelConfig, NDManager)}, every tensor in bfloat16 when {@code bfloat16}. */
    public static Map<String, NDArray> load(Path modelDir, ModelConfig config, NDManager manager, boolean bfloat16)
            throws IOException {
        Map<String, TensorInfo> found = SafetensorsReader.describe(modelDir);
        Map<String, long[]> expected = config.parameterShapes();
        List<String> missing = new ArrayList<>();
        Map<String, TensorInfo> wanted = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            TensorInfo info = found.get(e.getKey());
            if (info == null) {
                missing.add(e.getKey());
                continue;
            }
            if (!Arrays.equals(info.shape(), e.getValue())) {
                throw new ModelWeightsException(e.getKey() + ": config.json implies " + Arrays.toString(e.getValue())
                        + " but " + info.file().getFileName() + " has " + info.shapeString());
            }
            wanted.put(e.getKey(), info);
        }
        if (!missing.isEmpty()) {
            throw new ModelWeightsException(
                    modelDir + ": missing " + describeNames(missing) + " that config.json (" + config + ") implies");
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : found.keySet()) {
            if (!expected.containsKey(name) && !isIgnorable(name, config)) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new ModelWeightsException(
                    modelDir + ": unexpected " + describeNames(unexpected) + " not part of " + config);
        }
        return SafetensorsReader.readTensors(wanted, manager, name -> bfloat16);
    }

    /** Saves config.json (torch_dtype float32) and the weights in float32, sharded above 5GB. */
    public static void save(Path modelDir, ModelConfig config, Map<String, NDArray> weights) throws IOException {
        save(modelDir, config, weights, SaveFormat.FLOAT32);
    }

    /** Saves in {@code dtype}, sharded above 5GB. */
    public static void save(Path modelDir, ModelConfig config, Map<String, NDArray> weights, SafetensorsDType dtype)
            throws IOException {
        save(modelDir, config, weights, new SaveFormat(dtype, SaveFormat.FLOAT32.maxShardBytes()));
    }

    /**
     * Writes {@code config.json} (its dtype field set to the format's) and the weights into
     * {@code modelDir} (created if needed), in {@link ModelConfig#parameterShapes()} order: one
     * {@code model.safetensors}, or shards and an index when they exceed the format's shard size
     * ({@link ShardedSafetensorsWriter}). {@code lm_head.weight} is skipped when the embeddings are
     * tied. Refuses a directory holding the other layout: transformers reads model.safetensors
     * before an index, this project the index first, so the two must never be mixed.
     *
     * @throws ModelWeightsException a tensor is missing, unexpected or has the wrong shape
     */
    public static void save(Path modelDir, ModelConfig config, Map<String, NDArray> weights, SaveFormat format)
            throws IOException {
        Map<String, long[]> expected = config.parameterShapes();
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            NDArray array = weights.get(e.getKey());
            if (array == null) {
                missing.add(e.getKey());
                continue;
            }
            long[] shape = array.getShape().getShape();
            if (!Arrays.equals(shape, e.getValue())) {
                throw new ModelWeightsException(e.getKey() + ": config.json implies " + Arrays.toString(e.getValue())
                        + " but the weights to save have " + Arrays.toString(shape));
            }
            ordered.put(e.getKey(), array);
        }
        if (!missing.isEmpty()) {
            throw new ModelWeightsException("cannot save: missing " + describeNames(missing));
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : weights.keySet()) {
            if (!expected.containsKey(name) && !(name.equals(TIED_HEAD) && config.tieWordEmbeddings())) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new ModelWeightsException(
                    "cannot save: unexpected " + describeNames(unexpected) + " not part of " + config);
        }
        Files.createDirectories(modelDir);
        if (Files.exists(modelDir.resolve(SafetensorsReader.INDEX_FILE))) {
            throw new ModelWeightsException(modelDir + " holds " + SafetensorsReader.INDEX_FILE
                    + "; save into a directory without a sharded checkpoint");
        }
        if (ShardedSafetensorsWriter.shardCount(ordered, format.dtype(), format.maxShardBytes()) > 1
                && Files.exists(modelDir.resolve(SafetensorsReader.SINGLE_FILE))) {
            throw new ModelWeightsException(modelDir + " holds " + SafetensorsReader.SINGLE_FILE
                    + ", which transformers would load instead of the new shards; save into a directory without it");
        }
        config.withTorchDtype(format.dtype().torchName()).write(modelDir.resolve(ModelConfig.FILE_NAME));
        ShardedSafetensorsWriter.write(modelDir, ordered, format.dtype(), format.maxShardBytes());
    }

    /**
     * The element type most of a checkpoint's values are stored in (checkpoints may keep a few
     * small tensors, such as norms, in another type).
     */
    public static SafetensorsDType storedDtype(Path modelDir) throws IOException {
        Map<SafetensorsDType, Long> elements = new EnumMap<>(SafetensorsDType.class);
        for (TensorInfo t : SafetensorsReader.describe(modelDir).values()) {
            elements.merge(t.dtype(), t.numel(), Long::sum);
        }
        return elements.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElseThrow(() -> new ModelWeightsException(modelDir + ": the checkpoint holds no tensors"));
    }

    /** Tensors a checkpoint may hold beyond {@link ModelConfig#parameterShapes()} without harm. */
    public static boolean isIgnorable(String name, ModelConfig config) {
        return name.endsWith(".rotary_emb.inv_freq") || (name.equals(TIED_HEAD) && config.tieWordEmbeddings());
    }

    private static String describeNames(List<String> names) {
        int shown = Math.min(names.size(), 5);
        String list = String.join(", ", names.subList(0, shown));
        String more = names.size() > shown ? " and " + (names.size() - shown) + " more" : "";
        return (names.size() == 1 ? "tensor " : names.size() + " tensors: ") + list + more;
    }
}
