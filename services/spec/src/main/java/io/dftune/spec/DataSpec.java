package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Training and evaluation datasets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataSpec {
    @Required
    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription(
            "Training data: a .jsonl, .json (an array) or .parquet file, a folder of Parquet shards or "
                    + "a glob such as data/train-*.parquet; a local path or pvc://<claim>/<path>.")
    private String train;

    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription("Optional evaluation data, in any form data.train accepts.")
    private String eval;

    @JsonPropertyDescription(
            "The dataset's own column names by dftune's names (prompt, query, response, system, answer, "
                    + "messages, tools, input_ids, completion_mask), e.g. {prompt: problem, response: solution}.")
    private Map<String, String> columns;

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Train on the first N records of data.train in file order (before shuffling); 0 uses all.")
    private int maxExamples = 0;

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

    /** The column map as set; null when unset. */
    public Map<String, String> getColumns() {
        return columns;
    }

    public void setColumns(Map<String, String> columns) {
        this.columns = columns == null ? null : new LinkedHashMap<>(columns);
    }

    public int getMaxExamples() {
        return maxExamples;
    }

    public void setMaxExamples(int maxExamples) {
        this.maxExamples = maxExamples;
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
                && maxExamples == d.maxExamples
                && Objects.equals(columns, d.columns)
                && Objects.equals(train, d.train)
                && Objects.equals(eval, d.eval)
                && Objects.equals(answerMarker, d.answerMarker);
    }

    @Override
    public int hashCode() {
        return Objects.hash(train, eval, columns, maxExamples, shuffle, answerMarker);
    }
}
