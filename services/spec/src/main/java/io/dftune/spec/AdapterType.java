package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which weights train: all of them, or a low-rank adapter beside frozen base weights. */
public enum AdapterType {
    @JsonProperty("none")
    NONE,
    @JsonProperty("lora")
    LORA
}
