package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed: phase, conditions, the trainer's progress and metrics, restarts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FineTuneJobStatus {
    @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Suspended.")
    // A phase this operator does not know (written by a newer one) reads as none, not as an error
    // that would stop the informer.
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    public Phase phase;

    @JsonPropertyDescription("Why the job is in its phase, in one CamelCase word (e.g. DeadlineExceeded).")
    public String reason;

    @JsonPropertyDescription("The reason in words.")
    public String message;

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("SpecValid, Running, Suspended, Complete and Failed, as metav1.Condition.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Optimizer steps done and to do.")
    public ProgressStatus progress;

    @JsonPropertyDescription("The latest training and evaluation metrics.")
    public MetricsStatus metrics;

    @JsonPropertyDescription("The run's memory plan, made by the trainer before it read any weight.")
    public MemoryPlanStatus memoryPlan;

    @JsonPropertyDescription("The newest checkpoint written.")
    public CheckpointStatus checkpoint;

    @JsonPropertyDescription("The trainer's own phase (LOADING, TRAINING, EVALUATING, STOPPING, SUCCEEDED, ...).")
    public String trainerPhase;

    @JsonPropertyDescription(
            "The checkpoint step the current trainer pod resumed from; 0 when it started from the base model.")
    public Long resumedFromStep;

    @JsonPropertyDescription("The fine-tuned model directory, once succeeded.")
    public String finalModel;

    @JsonPropertyDescription("When the first trainer pod started running (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription("When the job succeeded or failed (RFC 3339).")
    public String completionTime;

    @JsonPropertyDescription(
            "Trainer pods replaced (after a failure or a preemption); each resumes from the newest checkpoint.")
    public int restarts;

    @JsonPropertyDescription("Trainer failures, counted against spec.backoffLimit (preemptions are not failures).")
    public int failures;

    public Phase phase() {
        return phase == null ? Phase.Pending : phase;
    }
}
