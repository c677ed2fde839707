package io.dftune.engine.io;

import java.io.IOException;

/** A safetensors file or shard index that is malformed or uses something this reader does not support. */
public class SafetensorsException extends IOException {
    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
