package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The number format of training. bf16 stores frozen weights in bfloat16 and computes in bfloat16
 * where the device does so fast; trainable weights keep float32 master copies and float32 AdamW
 * moments either way.
 */
public enum Precision {
    @JsonProperty("fp32")
    FP32,
    @JsonProperty("bf16")
    BF16
}
