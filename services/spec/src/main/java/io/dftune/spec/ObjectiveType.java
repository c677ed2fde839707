package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The training objective. The JSON names are the contract; {@code @JsonProperty} on the constants
 * (rather than {@code @JsonValue}) is what Fabric8's CRD generator reads for the schema's enum.
 */
public enum ObjectiveType {
    @JsonProperty("sft")
    SFT,
    @JsonProperty("dft")
    DFT,
    @JsonProperty("asft")
    ASFT,
    @JsonProperty("prob-q")
    PROB_Q,
    @JsonProperty("dft-power")
    DFT_POWER
}
