package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A checkpoint the trainer wrote; a replaced pod resumes from the newest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointStatus {
    /** e.g. step-40. */
    public String name;

    public long step;
    /** Inside the trainer pod. */
    public String path;
}
