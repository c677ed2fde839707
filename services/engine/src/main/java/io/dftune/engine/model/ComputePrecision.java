package io.dftune.engine.model;

import ai.djl.Device;
import io.dftune.engine.nd.Bfloat16MatmulProbe;
import io.dftune.spec.Precision;

/**
 * What {@code training.precision} means on a device. bf16 stores the weights that stay frozen (a
 * LoRA run's base, an anchored objective's reference model) in bfloat16, half the memory; trainable
 * weights keep float32 masters either way. Matmuls compute in bfloat16 where the device measured
 * them clearly faster than float32 ({@link Bfloat16MatmulProbe}); elsewhere each bfloat16 weight is
 * cast to float32 where it is used.
 *
 * @param why what the matmul choice rests on, for the run's first line
 */
public record ComputePrecision(boolean bfloat16FrozenWeights, boolean bfloat16Matmuls, String why) {
    public static final ComputePrecision FLOAT32 = new ComputePrecision(false, false, "");

    /** For the run's first line, e.g. "bfloat16 frozen weights, bfloat16 matmuls (a bfloat16 ...)". */
    public String describe() {
        if (!bfloat16FrozenWeights) {
            return "float32";
        }
        return "bfloat16 frozen weights, " + (bfloat16Matmuls ? "bfloat16" : "float32") + " matmuls (" + why + ")";
    }

    /** The precision on {@code device}; bf16 measures the device's products once per JVM. */
    public static ComputePrecision of(Precision precision, Device device) {
        if (precision != Precision.BF16) {
            return FLOAT32;
        }
        return bf16(Bfloat16MatmulProbe.measure(device));
    }

    /**
     * The precision planned for a GPU this machine does not have, so cannot measure: GPUs that train
     * in bf16 (Ampere and later) multiply in it far faster than in float32.
     */
    public static ComputePrecision assumedForGpu(Precision precision) {
        if (precision != Precision.BF16) {
            return FLOAT32;
        }
        return new ComputePrecision(true, true, "assumed for a GPU");
    }

    /** bf16, with matmuls in bfloat16 when {@code timing} found them clearly faster. */
    static ComputePrecision bf16(Bfloat16MatmulProbe.Timing timing) {
        return new ComputePrecision(true, timing.bfloat16Faster(), timing.describe());
    }
}
