package io.dftune.engine.io;

/**
 * Bit-level conversions between float32 and the two 16-bit float formats (bfloat16 and IEEE half).
 * Java 17 has no {@code Float.float16ToFloat}; float-to-16-bit rounds to nearest, ties to even.
 */
public final class HalfFloats {
    private HalfFloats() {}

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            // Truncation could clear every mantissa bit left and turn a NaN into infinity.
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }

    public static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f; // subnormal (or zero): exact in float32
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) { // infinity or NaN; keep NaNs NaN
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0));
        }
        if (abs >= 0x477ff000) { // >= 65520, the tie between 65504 and 65536, rounds (to even) to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) { // a normal half (>= 2^-14)
            int h = ((((abs >>> 23) - 127 + 15) << 10) | ((abs & 0x7fffff) >>> 13));
            return (short) (sign | roundHalfEven(h, abs & 0x1fff, 0x1000));
        }
        if (abs < 0x33000000) { // below 2^-25 (half the smallest subnormal): zero
            return (short) sign;
        }
        int mant = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - (abs >>> 23); // 14..24 in this range
        int h = mant >>> shift;
        return (short) (sign | roundHalfEven(h, mant & ((1 << shift) - 1), 1 << (shift - 1)));
    }

    // A carry out of the mantissa moves into the exponent, which is the right result.
    private static int roundHalfEven(int truncated, int remainder, int half) {
        if (remainder > half || (remainder == half && (truncated & 1) == 1)) {
            return truncated + 1;
        }
        return truncated;
    }
}
