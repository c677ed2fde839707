package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.io.SafetensorsDType;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.SafetensorsWriter;
import io.dftune.engine.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        return SafetensorsReader.readTensors(wanted, manager);
    }

    /** Saves config.json (torch_dtype float32) and model.safetensors in float32. */
    public static void save(Path modelDir, ModelConfig config, Map<String, NDArray> weights) throws IOException {
        save(modelDir, config, weights, SafetensorsDType.F32);
    }

    /**
     * Writes {@code config.json} (torch_dtype set to {@code dtype}) and {@code model.safetensors} into
     * {@code modelDir} (created if needed), in {@link ModelConfig#parameterShapes()} order.
     * {@code lm_head.weight} is skipped when the embeddings are tied. Refuses a directory holding a
     * sharded index, which readers would prefer over the new file.
     *
     * @throws ModelWeightsException a tensor is missing, unexpected or has the wrong shape
     */
    public static void save(Path modelDir, ModelConfig config, Map<String, NDArray> weights, SafetensorsDType dtype)
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
        config.withTorchDtype(dtype.torchName()).write(modelDir.resolve(ModelConfig.FILE_NAME));
        SafetensorsWriter.write(modelDir.resolve(SafetensorsReader.SINGLE_FILE), ordered, dtype);
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
