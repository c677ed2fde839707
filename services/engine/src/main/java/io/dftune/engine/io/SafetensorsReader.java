package io.dftune.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
 * Reads safetensors checkpoints, single-file or sharded, into float32 NDArrays. Each tensor is read
 * separately through a FileChannel, so files of any size work; one tensor must fit 2 GiB as float32.
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

    /** Reads the described tensors (from {@link #describe}), opening each file once. */
    public static Map<String, NDArray> readTensors(Map<String, TensorInfo> tensors, NDManager manager)
            throws IOException {
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
                        loaded.put(t.name(), readTensor(channel, header.dataStart, current, manager));
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

    private static NDArray readTensor(FileChannel channel, long dataStart, TensorInfo t, NDManager manager)
            throws IOException {
        long floatBytes = t.numel() * 4;
        if (floatBytes > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(t.file() + ": tensor " + t.name() + " " + t.shapeString() + " needs "
                    + floatBytes + " bytes as float32; tensors over 2 GiB are not supported");
        }
        // DJL hands direct buffers to libtorch, which reads them in native order (little-endian on
        // every platform libtorch ships for), the same order safetensors uses.
        ByteBuffer floats = ByteBuffer.allocateDirect((int) floatBytes).order(ByteOrder.nativeOrder());
        long position = dataStart + t.begin();
        if (t.dtype() == SafetensorsDType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            FileChannels.readFully(channel, floats, position, t.file());
        } else {
            convertToFloats(channel, position, t, floats);
        }
        floats.flip();
        // The array created from a direct buffer keeps pointing into it (torch::from_blob); cloning
        // moves the data into libtorch memory so the JVM's direct-memory cap does not bound model size.
        try (NDArray view = manager.create(floats, new Shape(t.shape()), DataType.FLOAT32)) {
            NDArray owned = view.duplicate();
            owned.setName(t.name());
            return owned;
        }
    }

    private static void convertToFloats(FileChannel channel, long position, TensorInfo t, ByteBuffer out)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
        ElementCodec codec = new ElementCodec(t.dtype(), CHUNK_BYTES / t.dtype().bytes());
        float[] floats = new float[CHUNK_BYTES / t.dtype().bytes()];
        FloatBuffer target = out.asFloatBuffer();
        long remaining = t.end() - t.begin();
        long pos = position;
        while (remaining > 0) {
            chunk.clear();
            chunk.limit((int) Math.min(CHUNK_BYTES, remaining));
            FileChannels.readFully(channel, chunk, pos, t.file());
            chunk.flip();
            pos += chunk.limit();
            remaining -= chunk.limit();
            target.put(floats, 0, codec.decode(chunk, floats));
        }
        out.position(target.position() * Float.BYTES);
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
