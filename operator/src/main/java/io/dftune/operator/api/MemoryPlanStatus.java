package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The trainer's memory plan: what the run holds at its peak against the memory it has (docs/training.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemoryPlanStatus {
    @JsonPropertyDescription("Planned peak memory in bytes.")
    public Long peakBytes;

    @JsonPropertyDescription("Memory the run may use in bytes: the GPU's, the container's limit or the machine's.")
    public Long availableBytes;

    @JsonPropertyDescription("Whether the plan fits; a run that does not stops with reason DoesNotFit.")
    public Boolean fits;

    @JsonPropertyDescription("What the run stores and computes in.")
    public String precision;

    @JsonPropertyDescription("The plan in one line: the peak against what is available, then each part.")
    public String summary;
}
