package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The element type of the final model's weights. */
public enum OutputDtype {
    /** The type the base model's weights are stored in. */
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("float32")
    FLOAT32,
    @JsonProperty("bfloat16")
    BFLOAT16
}
