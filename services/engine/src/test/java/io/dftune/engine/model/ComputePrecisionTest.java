package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.dftune.engine.nd.Bfloat16MatmulProbe.Timing;
import io.dftune.spec.Precision;
import org.junit.jupiter.api.Test;

class ComputePrecisionTest {
    @Test
    void bf16ComputesInBfloat16WhereTheDeviceMeasuredItClearlyFaster() {
        ComputePrecision avx512Bf16 = ComputePrecision.bf16(new Timing(0.0066, 0.0017));

        assertThat(avx512Bf16.bfloat16FrozenWeights()).isTrue();
        assertThat(avx512Bf16.bfloat16Matmuls()).isTrue();
        assertThat(avx512Bf16.describe())
                .isEqualTo("bfloat16 frozen weights, bfloat16 matmuls"
                        + " (a bfloat16 product ran 3.9x as fast as float32 here)");
    }

    @Test
    void bf16StoresInBfloat16ButComputesInFloat32WhereBfloat16IsNotClearlyFaster() {
        ComputePrecision noBf16Instructions = ComputePrecision.bf16(new Timing(0.0066, 0.030));
        ComputePrecision slightlyFaster = ComputePrecision.bf16(new Timing(0.0066, 0.0060));

        assertThat(noBf16Instructions.bfloat16FrozenWeights()).isTrue();
        assertThat(noBf16Instructions.bfloat16Matmuls()).isFalse();
        assertThat(noBf16Instructions.describe())
                .isEqualTo("bfloat16 frozen weights, float32 matmuls"
                        + " (a bfloat16 product ran 0.2x as fast as float32 here)");
        assertThat(slightlyFaster.bfloat16Matmuls())
                .as("1.1x does not pay for the casts")
                .isFalse();
    }

    @Test
    void fp32IsFloat32Everywhere() {
        assertThat(ComputePrecision.of(Precision.FP32, Device.cpu())).isEqualTo(ComputePrecision.FLOAT32);
        assertThat(ComputePrecision.FLOAT32.describe()).isEqualTo("float32");
    }
}
