package io.dftune.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.nd.TorchCasts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes float NDArrays as one safetensors file, streaming the data tensor by tensor. Tensors are
 * laid out, and listed in the header, in the map's iteration order (pass a sorted map for sorted
 * names). The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */
public final class SafetensorsWriter {
    /** The metadata PyTorch-saved Hugging Face checkpoints carry. */
    public static final Map<String, String> PT_METADATA = Map.of("format", "pt");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_BYTES = 1 << 20;

    private SafetensorsWriter() {}

    /** Writes float32 data with {@link #PT_METADATA}. */
    public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        write(file, tensors, SafetensorsDType.F32, PT_METADATA);
    }

    public static void write(Path file, Map<String, NDArray> tensors, SafetensorsDType dtype) throws IOException {
        write(file, tensors, dtype, PT_METADATA);
    }

    /**
     * Writes (creating or truncating) {@code file}. Values convert to {@code dtype} with round to
     * nearest even. {@code metadata} may be null or empty for no {@code __metadata__}.
     */
    public static void write(
            Path file, Map<String, NDArray> tensors, SafetensorsDType dtype, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, dtype, metadata);
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            FileChannels.writeFully(channel, prefix);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                writeData(channel, chunk, e.getKey(), e.getValue(), dtype);
            }
        }
    }

    private static byte[] header(Map<String, NDArray> tensors, SafetensorsDType dtype, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("invalid tensor name: " + name);
            }
            long[] shape = e.getValue().getShape().getShape();
            long bytes = Math.multiplyExact(e.getValue().size(), (long) dtype.bytes());
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", dtype.name());
            ArrayNode shapeNode = entry.putArray("shape");
            for (long d : shape) {
                shapeNode.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    /**
     * Writes one tensor's elements a chunk at a time (float32 or bfloat16 arrays of any size), so at
     * most one chunk of it is in the Java heap.
     */
    private static void writeData(
            FileChannel channel, ByteBuffer chunk, String name, NDArray array, SafetensorsDType dtype)
            throws IOException {
        boolean bfloat16 = TorchCasts.isBfloat16(array);
        if (!bfloat16 && !array.getDataType().isFloating()) {
            throw new IllegalArgumentException(name + ": expected a floating-point array, got " + array.getDataType());
        }
        int perChunk = chunk.capacity() / Math.max(dtype.bytes(), Float.BYTES);
        ElementCodec codec = new ElementCodec(dtype, perChunk);
        long size = array.size();
        try (NDManager scratch = array.getManager().newSubManager()) {
            NDArray flat = array.reshape(size);
            flat.attach(scratch);
            for (long start = 0; start < size; start += perChunk) {
                int count = (int) Math.min(perChunk, size - start);
                float[] values;
                try (NDManager piece = scratch.newSubManager()) {
                    NDArray part = flat.get(new NDIndex("{}:{}", start, start + count));
                    part.attach(piece);
                    values = (bfloat16 ? TorchCasts.get().toFloat32(part, piece) : part.toType(DataType.FLOAT32, false))
                            .toFloatArray();
                }
                chunk.clear();
                codec.encode(values, 0, count, chunk);
                FileChannels.writeFully(channel, chunk.flip());
            }
        }
    }
}
