package io.dftune.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    @Test
    void decodesKnownHalfValues() {
        assertThat(HalfFloats.halfToFloat((short) 0x3C00)).isEqualTo(1.0f);
        assertThat(HalfFloats.halfToFloat((short) 0xC000)).isEqualTo(-2.0f);
        assertThat(HalfFloats.halfToFloat((short) 0x7BFF)).isEqualTo(65504.0f);
        assertThat(HalfFloats.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.halfToFloat((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f);
        assertThat(HalfFloats.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(HalfFloats.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.halfToFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfFloats.halfToFloat((short) 0x7E00)).isNaN();
        assertThat(Float.floatToRawIntBits(HalfFloats.halfToFloat((short) 0x8000)))
                .isEqualTo(0x80000000);
    }

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.halfToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(f))).isNaN();
            } else {
                assertThat(HalfFloats.floatToHalf(f) & 0xffff)
                        .as("half 0x%04x", h)
                        .isEqualTo(h);
            }
        }
    }

    @Test
    void halfRoundsToNearestEvenBetweenNeighbours() {
        for (int h = 0; h < 0x7BFF; h++) {
            float low = HalfFloats.halfToFloat((short) h);
            float high = HalfFloats.halfToFloat((short) (h + 1));
            float mid = (low + high) / 2; // exact: halves have 11 significant bits, floats 24
            int even = (h & 1) == 0 ? h : h + 1;
            assertThat(HalfFloats.floatToHalf(mid) & 0xffff)
                    .as("tie above 0x%04x", h)
                    .isEqualTo(even);
            assertThat(HalfFloats.floatToHalf(Math.nextUp(mid)) & 0xffff).isEqualTo(h + 1);
            assertThat(HalfFloats.floatToHalf(Math.nextDown(mid)) & 0xffff).isEqualTo(h);
            assertThat(HalfFloats.floatToHalf(-mid) & 0xffff).isEqualTo(even | 0x8000);
        }
        assertThat(HalfFloats.floatToHalf(65520f) & 0xffff).isEqualTo(0x7C00);
        assertThat(HalfFloats.floatToHalf(Math.nextDown(65520f)) & 0xffff).isEqualTo(0x7BFF);
        assertThat(HalfFloats.floatToHalf(1e-9f) & 0xffff).isZero();
        assertThat(HalfFloats.floatToHalf(-1e-9f) & 0xffff).isEqualTo(0x8000);
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertThat(HalfFloats.bf16ToFloat((short) 0x3F80)).isEqualTo(1.0f);
        assertThat(HalfFloats.floatToBf16(1.0f + 0x1p-8f) & 0xffff).isEqualTo(0x3F80); // tie, 0x3F80 even
        assertThat(HalfFloats.floatToBf16(1.0f + 3 * 0x1p-8f) & 0xffff).isEqualTo(0x3F82); // tie, 0x3F81 odd
        assertThat(HalfFloats.floatToBf16(1.0f + 0x1p-8f + 0x1p-20f) & 0xffff).isEqualTo(0x3F81);
        assertThat(HalfFloats.floatToBf16(-1.0f - 0x1p-8f + 0x1p-20f) & 0xffff).isEqualTo(0xBF80);
        assertThat(HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xffff).isEqualTo(0x7F80);
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))).isNaN();
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7F800001))))
                .isNaN();
    }

    @Test
    void everyBf16RoundTrips() {
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.floatToBf16(f) & 0xffff)
                        .as("bf16 0x%04x", b)
                        .isEqualTo(b);
            }
        }
    }
}
