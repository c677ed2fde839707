package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Training and evaluation datasets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataSpec {
    @Required
    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription("Training JSONL file: a local path or pvc://<claim>/<path>.")
    private String train;

    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription("Optional evaluation JSONL file: a local path or pvc://<claim>/<path>.")
    private String eval;

    @Default("true")
    @JsonPropertyDescription("Shuffle training examples each epoch.")
    private boolean shuffle = true;

    @Default("####")
    @JsonPropertyDescription("Marker in reference responses after which the final answer follows.")
    private String answerMarker = "####";

    public DataSpec() {}

    public String getTrain() {
        return train;
    }

    public void setTrain(String train) {
        this.train = train;
    }

    public String getEval() {
        return eval;
    }

    public void setEval(String eval) {
        this.eval = eval;
    }

    public boolean isShuffle() {
        return shuffle;
    }

    public void setShuffle(boolean shuffle) {
        this.shuffle = shuffle;
    }

    public String getAnswerMarker() {
        return answerMarker;
    }

    public void setAnswerMarker(String answerMarker) {
        this.answerMarker = answerMarker;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSpec d
                && shuffle == d.shuffle
                && Objects.equals(train, d.train)
                && Objects.equals(eval, d.eval)
                && Objects.equals(answerMarker, d.answerMarker);
    }

    @Override
    public int hashCode() {
        return Objects.hash(train, eval, shuffle, answerMarker);
    }
}
