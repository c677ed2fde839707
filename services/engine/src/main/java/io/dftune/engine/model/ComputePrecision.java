package io.dftune.engine.model;

import ai.djl.Device;
import io.dftune.spec.Precision;

/**
 * What {@code training.precision} means on a device. bf16 stores the weights that stay frozen (a
 * LoRA run's base, an anchored objective's reference model) in bfloat16, half the memory; trainable
 * weights keep float32 masters either way. Matmuls compute in bfloat16 only on a GPU: CPUs without
 * bfloat16 instructions (this project's machines) run bfloat16 matmuls about 4.5x slower than
 * float32 (bench/RESULTS.md), so there each bfloat16 weight is cast to float32 where it is used.
 */
public record ComputePrecision(boolean bfloat16FrozenWeights, boolean bfloat16Matmuls) {
    public static final ComputePrecision FLOAT32 = new ComputePrecision(false, false);

    /** For the run's first line, e.g. "bfloat16 frozen weights, float32 matmuls". */
    public String describe() {
        if (!bfloat16FrozenWeights) {
            return "float32";
        }
        return bfloat16Matmuls
                ? "bfloat16 frozen weights, bfloat16 matmuls"
                : "bfloat16 frozen weights, float32 matmuls (no fast bfloat16 on this device)";
    }

    public static ComputePrecision of(Precision precision, Device device) {
        if (precision != Precision.BF16) {
            return FLOAT32;
        }
        return new ComputePrecision(true, device.isGpu());
    }
}
