package io.dftune.engine.model;

import ai.djl.Device;
import io.dftune.spec.Precision;

/**
 * What {@code training.precision} means on a device. bf16 stores the weights that stay frozen (a
 * LoRA run's base, an anchored objective's reference model) in bfloat16, half the memory; trainable
 * weights keep float32 masters either way. Matmuls compute in bfloat16 only on a GPU; on a CPU each
 * bfloat16 weight is cast to float32 where it is used. (CPUs differ: without bfloat16 instructions
 * a bfloat16 product ran about 4.5x slower than float32; on one with AVX512-BF16 a bfloat16 x W^T of
 * 1024 x 1024 ran faster than float32 (bench/RESULTS.md). No CPU is probed yet.)
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
                : "bfloat16 frozen weights, float32 matmuls on a CPU";
    }

    public static ComputePrecision of(Precision precision, Device device) {
        if (precision != Precision.BF16) {
            return FLOAT32;
        }
        return new ComputePrecision(true, device.isGpu());
    }
}
