package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Learning-rate schedule after warmup. */
public enum Schedule {
    @JsonProperty("constant")
    CONSTANT,
    @JsonProperty("linear")
    LINEAR,
    @JsonProperty("cosine")
    COSINE
}
