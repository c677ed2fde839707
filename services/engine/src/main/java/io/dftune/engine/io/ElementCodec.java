package io.dftune.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts safetensors elements (little-endian) to and from float32 a chunk at a time, through
 * bulk buffer views and plain array loops. A {@code getShort}/{@code putFloat} call per element
 * costs several times more, above all in code the JIT compiles without its optimising compiler
 * (about 8x in a measurement here), and model files hold billions of elements.
 */
final class ElementCodec {
    private final SafetensorsDType dtype;
    private final short[] halves;
    private final double[] doubles;

    ElementCodec(SafetensorsDType dtype, int maxElements) {
        this.dtype = dtype;
        this.halves = dtype.bytes() == 2 ? new short[maxElements] : null;
        this.doubles = dtype == SafetensorsDType.F64 ? new double[maxElements] : null;
    }

    /** Decodes every element left in {@code chunk} (a whole number of them) into {@code floats}; returns how many. */
    int decode(ByteBuffer chunk, float[] floats) {
        ByteBuffer in = chunk.slice().order(ByteOrder.LITTLE_ENDIAN);
        int count = in.remaining() / dtype.bytes();
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(floats, 0, count);
            case BF16 -> {
                in.asShortBuffer().get(halves, 0, count);
                for (int i = 0; i < count; i++) {
                    floats[i] = HalfFloats.bf16ToFloat(halves[i]);
                }
            }
            case F16 -> {
                in.asShortBuffer().get(halves, 0, count);
                for (int i = 0; i < count; i++) {
                    floats[i] = HalfFloats.halfToFloat(halves[i]);
                }
            }
            case F64 -> {
                in.asDoubleBuffer().get(doubles, 0, count);
                for (int i = 0; i < count; i++) {
                    floats[i] = (float) doubles[i];
                }
            }
        }
        chunk.position(chunk.limit());
        return count;
    }

    /** Encodes {@code floats[offset, offset + count)} into {@code chunk} at its position, which it advances. */
    void encode(float[] floats, int offset, int count, ByteBuffer chunk) {
        ByteBuffer out = chunk.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> out.asFloatBuffer().put(floats, offset, count);
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    halves[i] = HalfFloats.floatToBf16(floats[offset + i]);
                }
                out.asShortBuffer().put(halves, 0, count);
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    halves[i] = HalfFloats.floatToHalf(floats[offset + i]);
                }
                out.asShortBuffer().put(halves, 0, count);
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    doubles[i] = floats[offset + i];
                }
                out.asDoubleBuffer().put(doubles, 0, count);
            }
        }
        chunk.position(chunk.position() + count * dtype.bytes());
    }
}
