package io.dftune.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.testing.Gradients;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void clipsByOneNormOverAllParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {0f, 0f});
            NDArray b = manager.create(new float[] {0f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Gradients.set(a, new float[] {3f, 0f});
            Gradients.set(b, new float[] {4f});

            double norm = GradientClipping.clip(List.of(a, b), 1.0, manager);

            assertThat(norm).isCloseTo(5.0, within(1e-6));
            // Element-wise clipping would give [1, 0] and [1]; global-norm keeps the direction.
            assertThat(a.getGradient().toFloatArray()[0]).isCloseTo(0.6f, within(1e-5f));
            assertThat(b.getGradient().toFloatArray()[0]).isCloseTo(0.8f, within(1e-5f));
        }
    }

    @Test
    void leavesSmallGradientsAndZeroDisables() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {0f, 0f});
            a.setRequiresGradient(true);
            Gradients.set(a, new float[] {3f, 4f});
            assertThat(GradientClipping.clip(List.of(a), 0, manager)).isCloseTo(5.0, within(1e-6));
            assertThat(a.getGradient().toFloatArray()).containsExactly(3f, 4f);
            GradientClipping.clip(List.of(a), 10, manager);
            assertThat(a.getGradient().toFloatArray()).containsExactly(3f, 4f);
        }
    }
}
