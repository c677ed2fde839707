package io.dftune.engine.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import io.dftune.engine.nd.Leaves;
import java.util.List;

/** Gives parameters chosen gradients the way training does: through a backward pass. */
public final class Gradients {
    private Gradients() {}

    public static void set(NDArray parameter, float[] gradient) {
        Leaves.zeroGradients(List.of(parameter), parameter.getManager());
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray weights = parameter.getManager().create(gradient, parameter.getShape());
            collector.backward(parameter.mul(weights).sum());
        }
    }
}
