package io.dftune.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A sharded checkpoint's model.safetensors.index.json: which shard holds which tensor. */
final class ShardIndex {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardIndex() {}

    /** Tensors in weight_map order; tensors a shard holds that the index does not list are left out. */
    static Map<String, TensorInfo> describe(Path indexFile) throws IOException {
        Map<String, String> weightMap = readWeightMap(indexFile);
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, Map<String, TensorInfo>> shards = new LinkedHashMap<>();
        Map<String, TensorInfo> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : weightMap.entrySet()) {
            String shardName = entry.getValue();
            Map<String, TensorInfo> shard = shards.get(shardName);
            if (shard == null) {
                shard = readShardHeader(indexFile, dir, shardName, entry.getKey());
                shards.put(shardName, shard);
            }
            TensorInfo info = shard.get(entry.getKey());
            if (info == null) {
                throw new SafetensorsException(indexFile + ": tensor " + entry.getKey() + " is listed in shard "
                        + shardName + ", but that shard does not hold it");
            }
            result.put(entry.getKey(), info);
        }
        return result;
    }

    private static Map<String, String> readWeightMap(Path indexFile) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(indexFile.toFile());
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(indexFile + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsException(indexFile + ": no weight_map object");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(
                        indexFile + ": weight_map entry for " + e.getKey() + " is not a file name");
            }
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    private static Map<String, TensorInfo> readShardHeader(Path indexFile, Path dir, String shardName, String tensor)
            throws IOException {
        Path shard = dir.resolve(shardName).normalize();
        if (!shard.getParent().equals(dir.normalize()) || shardName.contains("/") || shardName.contains("\\")) {
            throw new SafetensorsException(indexFile + ": shard name " + shardName + " (for " + tensor
                    + ") must be a file name in the same directory");
        }
        if (!Files.isRegularFile(shard)) {
            throw new SafetensorsException(indexFile + ": shard " + shardName + " (for " + tensor + ") does not exist");
        }
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ)) {
            return SafetensorsHeader.read(shard, channel).tensors;
        }
    }
}
