package io.dftune.engine.nd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeavesTest {
    @Test
    void releasedTensorsKeepTheirValuesAndTakeTheNextGradientAsComputed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, -2f, 0.5f});
            w.setRequiresGradient(true);
            Map<String, NDArray> tensors = new LinkedHashMap<>(Map.of("w", w));
            Leaves leaves = new Leaves(tensors);
            leaves.releaseGradients();
            assertThat(w.isReleased()).isTrue();
            NDArray owned = tensors.get("w");
            backward(owned, new float[] {3f, 3f, 3f});

            leaves.releaseGradients();
            NDArray leaf = tensors.get("w");
            backward(leaf, new float[] {1f, 2f, 4f});

            assertThat(owned.isReleased()).as("the old handle is closed").isTrue();
            assertThat(leaf.toFloatArray()).containsExactly(1f, -2f, 0.5f);
            assertThat(leaf.hasGradient()).isTrue();
            assertThat(leaf.getGradient().toFloatArray())
                    .as("not added to the released gradient [3, 3, 3]")
                    .containsExactly(1f, 2f, 4f);
            backward(leaf, new float[] {1f, 1f, 1f});
            assertThat(leaf.getGradient().toFloatArray())
                    .as("later passes accumulate as before")
                    .containsExactly(2f, 3f, 5f);
        }
    }

    @Test
    void theFirstReleaseCopiesValuesAndKeepsWhetherATensorTrains() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray trained = manager.create(new float[] {1f, 2f});
            trained.setRequiresGradient(true);
            NDArray frozen = manager.create(new float[] {3f});
            Map<String, NDArray> tensors = new LinkedHashMap<>(Map.of("trained", trained, "frozen", frozen));

            new Leaves(tensors).releaseGradients();

            assertThat(tensors.get("trained").toFloatArray()).containsExactly(1f, 2f);
            assertThat(tensors.get("trained").hasGradient()).isTrue();
            backward(tensors.get("trained"), new float[] {5f, 6f});
            assertThat(tensors.get("trained").getGradient().toFloatArray())
                    .as("a leaf that takes gradients, not a copy inside a graph")
                    .containsExactly(5f, 6f);
            assertThat(tensors.get("frozen").toFloatArray()).containsExactly(3f);
            assertThat(tensors.get("frozen").hasGradient()).isFalse();
        }
    }

    @Test
    void aLaterReleaseSharesItsStorageWithTheOldOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, 2f});
            w.setRequiresGradient(true);
            Map<String, NDArray> tensors = new LinkedHashMap<>(Map.of("w", w));
            Leaves leaves = new Leaves(tensors);
            leaves.releaseGradients();
            NDArray alias = tensors.get("w").stopGradient();

            leaves.releaseGradients();
            tensors.get("w").muli(3);

            assertThat(alias.toFloatArray()).as("updated in place, not copied").containsExactly(3f, 6f);
        }
    }

    private static void backward(NDArray parameter, float[] gradient) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(
                    parameter.mul(parameter.getManager().create(gradient)).sum());
        }
    }
}
