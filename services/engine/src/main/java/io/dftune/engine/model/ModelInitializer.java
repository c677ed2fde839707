package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Fresh weights for a config, as Hugging Face initialises Llama: matrices from N(0, std), norm
 * weights 1, biases 0. Drawn in Java from a seeded generator, so the same seed gives the same
 * model on any machine and device.
 */
public final class ModelInitializer {
    private ModelInitializer() {}

    public static CausalLm initialize(ModelConfig config, NDManager parent, long seed, double std) {
        Random random = new Random(seed);
        NDManager manager = parent.newSubManager();
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> entry : config.parameterShapes().entrySet()) {
            String name = entry.getKey();
            Shape shape = new Shape(entry.getValue());
            float[] values = new float[Math.toIntExact(shape.size())];
            if (name.endsWith("norm.weight")) {
                java.util.Arrays.fill(values, 1f);
            } else if (!name.endsWith(".bias")) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * std);
                }
            }
            parameters.put(name, manager.create(values, shape));
        }
        return new CausalLm(config, manager, parameters);
    }
}
