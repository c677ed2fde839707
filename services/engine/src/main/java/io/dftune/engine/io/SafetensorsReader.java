package io.dftune.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dftune.engine.nd.TorchCasts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads safetensors checkpoints, single-file or sharded, into float32 or bfloat16 NDArrays. Each
 * tensor is read separately through a FileChannel and in chunks, so files and tensors of any size
 * work.
 */
public final class SafetensorsReader {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final int CHUNK_BYTES = 1 << 20;

    private SafetensorsReader() {}

    /**
     * Describes every tensor without reading data. {@code fileOrDir} is a model directory (with
     * model.safetensors.index.json or model.safetensors), a .safetensors file, or an index file.
     * Order: header order for one file, the index's weight_map order for a sharded checkpoint.
     */
    public static Map<String, TensorInfo> describe(Path fileOrDir) throws IOException {
        Path resolved = resolve(fileOrDir);
        if (resolved.getFileName().toString().endsWith(".index.json")) {
            return ShardIndex.describe(resolved);
        }
        try (FileChannel channel = FileChannel.open(resolved, StandardOpenOption.READ)) {
            return SafetensorsHeader.read(resolved, channel).tensors;
        }
    }

    /** Reads every tensor as float32 into {@code manager}; see {@link #describe} for paths and order. */
    public static Map<String, NDArray> read(Path fileOrDir, NDManager manager) throws IOException {
        return read(fileOrDir, manager, name -> true);
    }

    /** Reads the tensors whose names {@code include} accepts; the others are not read at all. */
    public static Map<String, NDArray> read(Path fileOrDir, NDManager manager, Predicate<String> include)
            throws IOException {
        Map<String, TensorInfo> wanted = new LinkedHashMap<>();
        describe(fileOrDir).forEach((name, info) -> {
            if (include.test(name)) {
                wanted.put(name, info);
            }
        });
        return readTensors(wanted, manager);
    }

    /** Reads the described tensors (from {@link #describe}) as float32, opening each file once. */
    public static Map<String, NDArray> readTensors(Map<String, TensorInfo> tensors, NDManager manager)
            throws IOException {
        return readTensors(tensors, manager, name -> false);
    }

    /**
     * Reads the described tensors, those {@code asBfloat16} accepts as bfloat16 and the others as
     * float32, opening each file once.
     */
    public static Map<String, NDArray> readTensors(
            Map<String, TensorInfo> tensors, NDManager manager, Predicate<String> asBfloat16) throws IOException {
        Map<Path, List<TensorInfo>> byFile = new LinkedHashMap<>();
        for (TensorInfo t : tensors.values()) {
            byFile.computeIfAbsent(t.file(), f -> new ArrayList<>()).add(t);
        }
        Map<String, NDArray> loaded = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, List<TensorInfo>> entry : byFile.entrySet()) {
                Path file = entry.getKey();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    // Re-reading the header makes sure the file has not changed since it was described.
                    SafetensorsHeader header = SafetensorsHeader.read(file, channel);
                    for (TensorInfo t : entry.getValue()) {
                        TensorInfo current = header.tensors.get(t.name());
                        if (current == null || current.begin() != t.begin() || current.end() != t.end()) {
                            throw new SafetensorsException(
                                    file + ": tensor " + t.name() + " changed while the file was being read");
                        }
                        loaded.put(
                                t.name(),
                                readTensor(channel, header.dataStart, current, manager, asBfloat16.test(t.name())));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            loaded.values().forEach(NDArray::close);
            throw e;
        }
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (String name : tensors.keySet()) {
            ordered.put(name, loaded.get(name));
        }
        return ordered;
    }

    /**
     * Fills an uninitialised array chunk by chunk, so the tensor's size is bounded by memory only and
     * at most one chunk exists twice.
     */
    private static NDArray readTensor(
            FileChannel channel, long dataStart, TensorInfo t, NDManager manager, boolean bfloat16) throws IOException {
        TorchCasts casts = TorchCasts.get();
        NDArray target = casts.empty(manager, new Shape(t.shape()), bfloat16);
        target.setName(t.name());
        int chunkElements = CHUNK_BYTES / t.dtype().bytes();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
        // DJL hands direct buffers to libtorch, which reads them in native order (little-endian on
        // every platform libtorch ships for).
        ByteBuffer floats =
                ByteBuffer.allocateDirect(chunkElements * Float.BYTES).order(ByteOrder.nativeOrder());
        float[] decoded = new float[chunkElements];
        ElementCodec codec = new ElementCodec(t.dtype(), chunkElements);
        long remaining = t.end() - t.begin();
        long position = dataStart + t.begin();
        long filled = 0;
        try {
            while (remaining > 0) {
                chunk.clear();
                chunk.limit((int) Math.min(CHUNK_BYTES, remaining));
                FileChannels.readFully(channel, chunk, position, t.file());
                chunk.flip();
                position += chunk.limit();
                remaining -= chunk.limit();
                int count = codec.decode(chunk, decoded);
                floats.clear();
                floats.asFloatBuffer().put(decoded, 0, count);
                floats.limit(count * Float.BYTES);
                try (NDArray piece = manager.create(floats, new Shape(count), DataType.FLOAT32)) {
                    casts.fill(target, filled, piece);
                }
                filled += count;
            }
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    private static Path resolve(Path fileOrDir) throws IOException {
        if (Files.isDirectory(fileOrDir)) {
            Path index = fileOrDir.resolve(INDEX_FILE);
            if (Files.isRegularFile(index)) {
                return index;
            }
            Path single = fileOrDir.resolve(SINGLE_FILE);
            if (Files.isRegularFile(single)) {
                return single;
            }
            throw new SafetensorsException(
                    fileOrDir + ": no " + SINGLE_FILE + " or " + INDEX_FILE + " in this directory");
        }
        if (!Files.isRegularFile(fileOrDir)) {
            throw new SafetensorsException(fileOrDir + ": no such file or directory");
        }
        return fileOrDir;
    }
}
