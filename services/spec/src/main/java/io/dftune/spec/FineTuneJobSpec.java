package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * What to fine-tune, on which data, with which objective and hyperparameters, and where the result
 * goes. Sections with defaults start out populated, so their getters never return null after
 * Jackson has read a manifest that leaves them out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FineTuneJobSpec {
    @Required
    @JsonPropertyDescription("The base model, a Hugging Face-layout directory.")
    private ModelSpec model;

    @Required
    @JsonPropertyDescription("Training and evaluation data (JSONL).")
    private DataSpec data;

    @JsonPropertyDescription("The training objective and its parameters.")
    private ObjectiveSpec objective = new ObjectiveSpec();

    @JsonPropertyDescription("Optimisation hyperparameters, schedule and evaluation cadence.")
    private TrainingSpec training = new TrainingSpec();

    @JsonPropertyDescription("Periodic checkpoints.")
    private CheckpointSpec checkpoint = new CheckpointSpec();

    @Required
    @JsonPropertyDescription("Where the fine-tuned model and run files are written.")
    private OutputSpec output;

    public FineTuneJobSpec() {
    }

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
        if (checkpoint == null) {
            checkpoint = new CheckpointSpec();
        }
        training.applyDefaults();
        return this;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof FineTuneJobSpec s
                && Objects.equals(model, s.model)
                && Objects.equals(data, s.data)
                && Objects.equals(objective, s.objective)
                && Objects.equals(training, s.training)
                && Objects.equals(checkpoint, s.checkpoint)
                && Objects.equals(output, s.output);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, data, objective, training, checkpoint, output);
    }
}
