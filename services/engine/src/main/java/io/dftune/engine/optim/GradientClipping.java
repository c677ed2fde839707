package io.dftune.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: one norm over all
 * gradients together, and every gradient scaled by {@code maxNorm / (norm + 1e-6)} when the norm
 * exceeds {@code maxNorm}. (DJL's own clipping is element-wise, which is not the same thing.)
 */
public final class GradientClipping {
    private GradientClipping() {}

    /** Returns the global gradient norm before clipping; {@code maxNorm <= 0} only measures. */
    public static double clip(Collection<NDArray> parameters, double maxNorm, NDManager scratchParent) {
        try (NDManager scratch = scratchParent.newSubManager()) {
            double squares = 0;
            for (NDArray p : parameters) {
                // one pass over each gradient, without a squared copy of it
                try (NDManager one = scratch.newSubManager()) {
                    NDArray g = p.getGradient();
                    g.attach(one);
                    double norm = g.norm().getFloat();
                    squares += norm * norm;
                }
            }

            double norm = Math.sqrt(squares);
            if (maxNorm > 0 && norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (NDArray p : parameters) {
                    NDArray g = p.getGradient();
                    g.attach(scratch);
                    g.muli(scale);
                }
            }
            return norm;
        }
    }
}
