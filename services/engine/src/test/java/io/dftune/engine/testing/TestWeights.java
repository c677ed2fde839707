package io.dftune.engine.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dftune.engine.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random float32 weights with the HF names and shapes a config implies. */
public final class TestWeights {
    private TestWeights() {}

    /** Values ~N(0, 0.05); norm weights ~1 + N(0, 0.1), as the Python reference makes them. */
    public static Map<String, NDArray> random(ModelConfig config, NDManager manager, long seed) {
        Random random = new Random(seed);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        config.parameterShapes().forEach((name, shape) -> {
            boolean norm = name.endsWith("norm.weight");
            float[] values = new float[Math.toIntExact(new Shape(shape).size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = norm ? 1f + (float) random.nextGaussian() * 0.1f : (float) random.nextGaussian() * 0.05f;
            }
            weights.put(name, manager.create(values, new Shape(shape)));
        });
        return weights;
    }
}
