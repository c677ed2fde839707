package io.dftune.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parsed and validated header of one safetensors file. */
final class SafetensorsHeader {
    /** The reference implementation refuses headers over 100 MB; so do we, before allocating. */
    static final long MAX_HEADER_BYTES = 100L * 1000 * 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path file;
    /** Absolute file position where the data section starts: 8 + header length. */
    final long dataStart;
    /** Tensors in header order. */
    final Map<String, TensorInfo> tensors;

    private SafetensorsHeader(Path file, long dataStart, Map<String, TensorInfo> tensors) {
        this.file = file;
        this.dataStart = dataStart;
        this.tensors = tensors;
    }

    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw error(file, "too short for a safetensors file (" + fileSize + " bytes)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        FileChannels.readFully(channel, lengthBytes, 0, file);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
            throw error(
                    file,
                    "invalid header length " + Long.toUnsignedString(headerLength) + " (file size " + fileSize
                            + " bytes; the limit is " + MAX_HEADER_BYTES + ")");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        FileChannels.readFully(channel, headerBytes, 8, file);
        JsonNode root;
        try {
            root = JSON.readTree(headerBytes.array());
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw error(file, "header is not a JSON object");
        }
        long dataLength = fileSize - 8 - headerLength;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            tensors.put(field.getKey(), parseEntry(file, field.getKey(), field.getValue(), dataLength));
        }
        checkNoOverlap(file, tensors);
        return new SafetensorsHeader(file, 8 + headerLength, tensors);
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode entry, long dataLength)
            throws SafetensorsException {
        if (!entry.isObject()) {
            throw error(file, "tensor " + name + ": header entry is not a JSON object");
        }
        JsonNode dtypeNode = entry.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw error(file, "tensor " + name + ": missing dtype");
        }
        SafetensorsDType dtype = SafetensorsDType.fromHeader(dtypeNode.asText());
        if (dtype == null) {
            throw error(
                    file,
                    "tensor " + name + ": unsupported dtype " + dtypeNode.asText() + " (supported: "
                            + SafetensorsDType.supportedList() + ")");
        }
        long[] shape = longArray(file, name, entry.get("shape"), "shape", -1);
        long[] offsets = longArray(file, name, entry.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw error(file, "tensor " + name + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end, file);
        long needed;
        try {
            needed = Math.multiplyExact(info.numel(), (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw error(file, "tensor " + name + ": shape " + info.shapeString() + " is too large");
        }
        if (end - begin != needed) {
            throw error(
                    file,
                    "tensor " + name + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                            + " bytes but " + dtype + " " + info.shapeString() + " needs " + needed);
        }
        if (end > dataLength) {
            throw error(
                    file,
                    "tensor " + name + ": data ends at byte " + end + " of the data section, but the file has only "
                            + dataLength + " data bytes (truncated file?)");
        }
        return info;
    }

    private static long[] longArray(Path file, String name, JsonNode node, String field, int requiredLength)
            throws SafetensorsException {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw error(
                    file,
                    "tensor " + name + ": " + field + " must be an array"
                            + (requiredLength >= 0 ? " of " + requiredLength + " integers" : " of integers") + ", got "
                            + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw error(file, "tensor " + name + ": " + field + " must hold non-negative integers, got " + node);
            }
            values[i] = v.asLong();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, Map<String, TensorInfo> tensors) throws SafetensorsException {
        List<TensorInfo> byOffset = new ArrayList<>();
        for (TensorInfo t : tensors.values()) {
            if (t.end() > t.begin()) {
                byOffset.add(t);
            }
        }
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < byOffset.size(); i++) {
            TensorInfo previous = byOffset.get(i - 1);
            TensorInfo current = byOffset.get(i);
            if (current.begin() < previous.end()) {
                throw error(
                        file,
                        "tensors " + previous.name() + " [" + previous.begin() + ", " + previous.end() + ") and "
                                + current.name() + " [" + current.begin() + ", " + current.end() + ") overlap");
            }
        }
    }

    private static SafetensorsException error(Path file, String message) {
        return new SafetensorsException(file + ": " + message);
    }
}
