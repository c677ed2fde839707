package io.dftune.engine.io;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes weights as Hugging Face's {@code save_pretrained} does: one {@code model.safetensors}
 * when they fit {@code maxShardBytes}, else {@code model-00001-of-0000N.safetensors} shards and a
 * {@code model.safetensors.index.json} mapping every tensor to its shard.
 *
 * <p>Tensors are assigned to shards in the map's order as huggingface_hub's
 * {@code split_torch_state_dict_into_shards} assigns them: a tensor that would take the current
 * shard past the limit starts a new one, and a tensor larger than the limit gets a shard of its
 * own, placed before the shard being filled.
 */
public final class ShardedSafetensorsWriter {
    private ShardedSafetensorsWriter() {}

    /**
     * Writes {@code tensors} into {@code dir} (which must exist) in {@code dtype}; returns the file
     * names written, the index last when there is one.
     */
    public static List<String> write(Path dir, Map<String, NDArray> tensors, SafetensorsDType dtype, long maxShardBytes)
            throws IOException {
        List<Map<String, NDArray>> shards = split(tensors, dtype, maxShardBytes);
        List<String> written = new ArrayList<>();
        if (shards.size() == 1) {
            SafetensorsWriter.write(dir.resolve(SafetensorsReader.SINGLE_FILE), tensors, dtype);
            written.add(SafetensorsReader.SINGLE_FILE);
            return written;
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String name = shardName(i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(name), shards.get(i), dtype);
            shards.get(i).keySet().forEach(tensor -> weightMap.put(tensor, name));
            written.add(name);
        }
        HfJson.write(dir.resolve(SafetensorsReader.INDEX_FILE), index(tensors, dtype, weightMap));
        written.add(SafetensorsReader.INDEX_FILE);
        return written;
    }

    /** How many files {@link #write} would write weights into (1: model.safetensors, no index). */
    public static int shardCount(Map<String, NDArray> tensors, SafetensorsDType dtype, long maxShardBytes) {
        return split(tensors, dtype, maxShardBytes).size();
    }

    /** The file name Hugging Face gives shard {@code number} (from 1) of {@code count}. */
    public static String shardName(int number, int count) {
        return String.format("model-%05d-of-%05d.safetensors", number, count);
    }

    static List<Map<String, NDArray>> split(Map<String, NDArray> tensors, SafetensorsDType dtype, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        List<Map<String, NDArray>> shards = new ArrayList<>();
        Map<String, NDArray> current = new LinkedHashMap<>();
        long currentBytes = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            long bytes = bytes(e.getValue(), dtype);
            if (bytes > maxShardBytes) {
                shards.add(new LinkedHashMap<>(Map.of(e.getKey(), e.getValue())));
                continue;
            }
            if (currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += bytes;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    private static ObjectNode index(
            Map<String, NDArray> tensors, SafetensorsDType dtype, Map<String, String> weightMap) {
        long parameters = 0;
        long bytes = 0;
        for (NDArray t : tensors.values()) {
            parameters += t.size();
            bytes += bytes(t, dtype);
        }
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        index.putObject("metadata").put("total_parameters", parameters).put("total_size", bytes);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        return index;
    }

    private static long bytes(NDArray tensor, SafetensorsDType dtype) {
        return Math.multiplyExact(tensor.size(), (long) dtype.bytes());
    }
}
