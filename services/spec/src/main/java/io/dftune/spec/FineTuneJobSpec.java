package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to fine-tune, on which data, with which objective and hyperparameters, and where the result
 * goes. Sections with defaults start out populated, so their getters never return null after
 * Jackson has read a manifest that leaves them out.
 *
 * <p>The fields from {@code image} on are for the cluster: the operator acts on them, the CLI and
 * the trainer ignore them (they are still validated, so a job file means the same everywhere).
 * What the run computes (model to output) cannot change once a FineTuneJob exists: a resumed run
 * must continue the same training.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FineTuneJobSpec {
    @Required
    @JsonPropertyDescription("The base model, a Hugging Face-layout directory.")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    private ModelSpec model;

    @Required
    @JsonPropertyDescription("Training and evaluation data (JSONL, JSON or Parquet).")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    private DataSpec data;

    @JsonPropertyDescription("The training objective and its parameters.")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    private ObjectiveSpec objective = new ObjectiveSpec();

    @JsonPropertyDescription("Optimisation hyperparameters, schedule and evaluation cadence.")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    private TrainingSpec training = new TrainingSpec();

    @JsonPropertyDescription("Which weights train: absent or type none trains all of them; lora trains an adapter.")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    private AdapterSpec adapter = new AdapterSpec();

    @JsonPropertyDescription("How evaluations decode and grade answers: greedy, and optionally k samples per prompt.")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    private EvalSpec eval = new EvalSpec();

    @JsonPropertyDescription("Periodic checkpoints.")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    private CheckpointSpec checkpoint = new CheckpointSpec();

    @Required
    @JsonPropertyDescription("Where the fine-tuned model and run files are written.")
    @ValidationRule(value = "self == oldSelf", message = "is immutable: create a new FineTuneJob to change the run")
    @ValidationRule(
            value = "self.path.startsWith('pvc://')",
            message = "path must be pvc://<claim>/<path> in a cluster: checkpoints and the model must outlive the pod")
    private OutputSpec output;

    @JsonPropertyDescription("Trainer container image; defaults to the operator's configured image.")
    private String image;

    @JsonPropertyDescription("GPUs, CPU and memory of the trainer pod.")
    private ResourcesSpec resources;

    @JsonPropertyDescription("Node labels the trainer pod must be scheduled on.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the trainer pod.")
    private List<TolerationSpec> tolerations;

    @Pattern(ClusterNames.DNS_SUBDOMAIN_PATTERN)
    @JsonPropertyDescription("PriorityClass of the trainer pod.")
    private String priorityClassName;

    @Pattern(ClusterNames.LABEL_VALUE_PATTERN)
    @JsonPropertyDescription(
            "Kueue LocalQueue: the trainer Job is created suspended with the kueue.x-k8s.io/queue-name label, and Kueue admits it.")
    private String queueName;

    @Default("false")
    @JsonPropertyDescription(
            "true stops the trainer pod after a checkpoint and keeps everything else; false resumes from it.")
    private boolean suspend = false;

    @Min(0)
    @Max(100)
    @Default("3")
    @JsonPropertyDescription(
            "Trainer failures retried (each resumes from the newest checkpoint) before the job fails. Preemptions do not count.")
    private int backoffLimit = 3;

    @Min(1)
    @JsonPropertyDescription(
            "Seconds the job may run, counted from its first start; then it fails with reason DeadlineExceeded.")
    private Long activeDeadlineSeconds;

    @Min(0)
    @JsonPropertyDescription("Seconds after the job finished (Succeeded or Failed) when the FineTuneJob is deleted.")
    private Integer ttlSecondsAfterFinished;

    public FineTuneJobSpec() {}

    /**
     * Fills what plain field defaults cannot: sections set to null and values derived from other
     * fields (training.microBatchSize). Idempotent; returns this.
     */
    public FineTuneJobSpec applyDefaults() {
        if (objective == null) {
            objective = new ObjectiveSpec();
        }
        if (training == null) {
            training = new TrainingSpec();
        }
        if (eval == null) {
            eval = new EvalSpec();
        }
        if (checkpoint == null) {
            checkpoint = new CheckpointSpec();
        }
        if (adapter == null) {
            adapter = new AdapterSpec();
        }
        training.applyDefaults();
        return this;
    }

    /** A deep copy, to change without touching this one. */
    public FineTuneJobSpec copy() {
        return SpecMapper.JSON.convertValue(this, FineTuneJobSpec.class);
    }

    public ModelSpec getModel() {

        return model;
    }

    public void setModel(ModelSpec model) {
        this.model = model;
    }

    public DataSpec getData() {
        return data;
    }

    public void setData(DataSpec data) {
        this.data = data;
    }

    public ObjectiveSpec getObjective() {
        return objective;
    }

    public void setObjective(ObjectiveSpec objective) {
        this.objective = objective;
    }

    public TrainingSpec getTraining() {
        return training;
    }

    public void setTraining(TrainingSpec training) {
        this.training = training;
    }

    public AdapterSpec getAdapter() {
        return adapter;
    }

    public void setAdapter(AdapterSpec adapter) {
        this.adapter = adapter;
    }

    public EvalSpec getEval() {

        return eval;
    }

    public void setEval(EvalSpec eval) {
        this.eval = eval;
    }

    public CheckpointSpec getCheckpoint() {
        return checkpoint;
    }

    public void setCheckpoint(CheckpointSpec checkpoint) {
        this.checkpoint = checkpoint;
    }

    public OutputSpec getOutput() {
        return output;
    }

    public void setOutput(OutputSpec output) {
        this.output = output;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public ResourcesSpec getResources() {
        return resources;
    }

    public void setResources(ResourcesSpec resources) {
        this.resources = resources;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<TolerationSpec> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<TolerationSpec> tolerations) {
        this.tolerations = tolerations;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public String getQueueName() {
        return queueName;
    }

    public void setQueueName(String queueName) {
        this.queueName = queueName;
    }

    public boolean isSuspend() {
        return suspend;
    }

    public void setSuspend(boolean suspend) {
        this.suspend = suspend;
    }

    public int getBackoffLimit() {
        return backoffLimit;
    }

    public void setBackoffLimit(int backoffLimit) {
        this.backoffLimit = backoffLimit;
    }

    public Long getActiveDeadlineSeconds() {
        return activeDeadlineSeconds;
    }

    public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
        this.activeDeadlineSeconds = activeDeadlineSeconds;
    }

    public Integer getTtlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FineTuneJobSpec s
                && Objects.equals(model, s.model)
                && Objects.equals(data, s.data)
                && Objects.equals(objective, s.objective)
                && Objects.equals(training, s.training)
                && Objects.equals(adapter, s.adapter)
                && Objects.equals(eval, s.eval)
                && Objects.equals(checkpoint, s.checkpoint)
                && Objects.equals(output, s.output)
                && Objects.equals(image, s.image)
                && Objects.equals(resources, s.resources)
                && Objects.equals(nodeSelector, s.nodeSelector)
                && Objects.equals(tolerations, s.tolerations)
                && Objects.equals(priorityClassName, s.priorityClassName)
                && Objects.equals(queueName, s.queueName)
                && suspend == s.suspend
                && backoffLimit == s.backoffLimit
                && Objects.equals(activeDeadlineSeconds, s.activeDeadlineSeconds)
                && Objects.equals(ttlSecondsAfterFinished, s.ttlSecondsAfterFinished);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                model,
                data,
                objective,
                training,
                adapter,
                eval,
                checkpoint,
                output,
                image,
                resources,
                nodeSelector,
                tolerations,
                priorityClassName,
                queueName,
                suspend,
                backoffLimit,
                activeDeadlineSeconds,
                ttlSecondsAfterFinished);
    }
}
