package io.dftune.engine.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor as a safetensors header describes it: no data is read.
 *
 * @param begin byte offset of the data, relative to the start of the data section
 * @param end byte offset one past the data, relative to the start of the data section
 * @param file the safetensors file that holds the data
 */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end, Path file) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
