package io.dftune.engine.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The safetensors element types this project reads and writes; every one converts to float32. */
public enum SafetensorsDType {
    F32(4, "float32"),
    BF16(2, "bfloat16"),
    F16(2, "float16"),
    F64(8, "float64");

    private final int bytes;
    private final String torchName;

    SafetensorsDType(int bytes, String torchName) {
        this.bytes = bytes;
        this.torchName = torchName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The name Hugging Face uses for this type in config.json's {@code torch_dtype}. */
    public String torchName() {
        return torchName;
    }

    /** The type for a safetensors header's {@code dtype} string, or null when it is not supported. */
    public static SafetensorsDType fromHeader(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static String supportedList() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
