package io.dftune.engine.nd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dftune.engine.io.HalfFloats;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** bfloat16 through the TorchScript casts, checked against the bit-level conversion in HalfFloats. */
class TorchCastsTest {
    private final TorchCasts casts = TorchCasts.get();

    @Test
    void castingToBfloat16RoundsAsTheBitLevelConversionDoes() {
        float[] values = new float[1000];
        Random random = new Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
        }
        values[0] = 0f;
        values[1] = -0f;
        values[2] = Float.MIN_NORMAL;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray bf = casts.toBfloat16(m.create(values), m);
            assertThat(TorchCasts.isBfloat16(bf)).isTrue();
            float[] back = casts.toFloat32(bf, m).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                float expected = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i]));
                assertThat(back[i]).as("value %d: %s", i, values[i]).isEqualTo(expected);
            }
        }
    }

    @Test
    void anArrayFilledPieceByPieceHoldsEveryPieceInFlatOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = casts.empty(m, new Shape(3, 4), true);
            casts.fill(target, 0, m.arange(0f, 5f));
            casts.fill(target, 5, m.arange(5f, 12f).reshape(7));
            NDArray back = casts.toFloat32(target, m);
            assertThat(back.getShape()).isEqualTo(new Shape(3, 4));
            assertThat(back.toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

            NDArray floats = casts.empty(m, new Shape(2, 2), false);
            casts.fill(floats, 0, m.create(new float[] {1.5f, -2f, 3e-3f, 7f}));
            assertThat(floats.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(floats.toFloatArray()).containsExactly(1.5f, -2f, 3e-3f, 7f);
        }
    }

    @Test
    void castsStayInTheAutogradGraph() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            w.setRequiresGradient(true);
            NDArray x = m.create(new float[] {0.5f, -1f}, new Shape(1, 2));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray roundTrip = casts.toFloat32(casts.toBfloat16(w, m), m);
                collector.backward(x.matMul(roundTrip).sum());
            }
            // d/dw sum(x w) = x^T 1: the same for every column.
            assertThat(w.getGradient().toFloatArray()).containsExactly(0.5f, 0.5f, -1f, -1f);
        }
    }
}
