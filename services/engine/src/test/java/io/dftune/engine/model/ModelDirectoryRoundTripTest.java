package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.testing.PythonReference;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model written by dftune loads back (here and in the independent reader) with identical logits. */
class ModelDirectoryRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void savedModelReloadsWithIdenticalLogits() throws IOException {
        Path original = dir.resolve("original");
        Path saved = dir.resolve("saved");
        PythonReference.makeRandom("qwen2", original, 21, "bf16", false, 2);
        int[] ids = {5, 17, 33, 2, 90, 41, 8};
        try (NDManager root = NDManager.newBaseManager()) {
            float[] before;
            try (CausalLm model = ModelDirectory.load(original, root)) {
                before = logits(model, ids, root);
                ModelDirectory.save(model, original, saved);
            }
            try (CausalLm reloaded = ModelDirectory.load(saved, root)) {
                assertThat(logits(reloaded, ids, root)).containsExactly(before);
                assertThat(reloaded.config().architecture()).isEqualTo(Architecture.QWEN2);
            }
        }
        double originalSum = PythonReference.stats(original)
                .at("/tensors/model.norm.weight/sum")
                .asDouble();
        double savedSum = PythonReference.stats(saved)
                .at("/tensors/model.norm.weight/sum")
                .asDouble();
        assertThat(savedSum).isEqualTo(originalSum);
    }

    private static float[] logits(CausalLm model, int[] ids, NDManager root) {
        try (NDManager scope = root.newSubManager()) {
            NDArray input = scope.create(new int[][] {ids});
            return model.logits(model.hiddenStates(input)).toFloatArray();
        }
    }
}
