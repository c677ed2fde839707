package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Optimizer steps done, to do, and when the trainer expects to finish. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProgressStatus {
    public long step;
    public long totalSteps;
    /** 0 to 100. */
    public int percent;
    /** Seconds to the end of training, as the trainer estimated it when the status was written. */
    public Long etaSeconds;
    /** The estimated end of training (RFC 3339). */
    public String eta;
}
