package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * How an evaluation decodes and grades answers: greedy decoding always (accuracy@1), and with
 * {@code samples > 0} that many sampled completions per prompt (avg@k, pass@k, maj@k). Shared by
 * the runs' evaluations, {@code dftune eval} and {@code dftune compare}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.extract != 'regex' || has(self.pattern)",
        message = "pattern is required with extract regex")
public class EvalSpec {
    @Min(1)
    @Default("64")
    @JsonPropertyDescription("Tokens generated per completion.")
    private int maxNewTokens = 64;

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Sampled completions per prompt (k) for avg@k, pass@k and maj@k; 0 decodes greedily only.")
    private int samples = 0;

    @Min(value = 0, inclusive = false)
    @Default("1.0")
    @JsonPropertyDescription("Sampling temperature (> 0).")
    private double temperature = 1.0;

    @Min(value = 0, inclusive = false)
    @Max(1)
    @Default("1.0")
    @JsonPropertyDescription("Nucleus sampling: sample from the most likely tokens whose probabilities reach topP.")
    private double topP = 1.0;

    @Default("0")
    @JsonPropertyDescription("Seed of the sampled completions; the same seed gives the same completions.")
    private long seed = 0;

    @Default("marker")
    @JsonPropertyDescription(
            "How the final answer is read: marker (after the last data.answerMarker), boxed (the last \\boxed{...}) or regex (pattern).")
    private AnswerExtraction extract = AnswerExtraction.MARKER;

    @JsonPropertyDescription(
            "extract regex: a Java regular expression; the last match's first group (or whole match) is the answer.")
    private String pattern;

    @Default("exact")
    @JsonPropertyDescription(
            "exact (the same text) or math (equal numbers and simple LaTeX forms: \\frac{1}{2}, 0.5 and 1/2 are equal).")
    private AnswerComparison compare = AnswerComparison.EXACT;

    public EvalSpec() {}

    public int getMaxNewTokens() {
        return maxNewTokens;
    }

    public void setMaxNewTokens(int maxNewTokens) {
        this.maxNewTokens = maxNewTokens;
    }

    public int getSamples() {
        return samples;
    }

    public void setSamples(int samples) {
        this.samples = samples;
    }

    public double getTemperature() {
        return temperature;
    }

    public void setTemperature(double temperature) {
        this.temperature = temperature;
    }

    public double getTopP() {
        return topP;
    }

    public void setTopP(double topP) {
        this.topP = topP;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public AnswerExtraction getExtract() {
        return extract;
    }

    public void setExtract(AnswerExtraction extract) {
        this.extract = extract;
    }

    public String getPattern() {
        return pattern;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public AnswerComparison getCompare() {
        return compare;
    }

    public void setCompare(AnswerComparison compare) {
        this.compare = compare;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvalSpec e
                && maxNewTokens == e.maxNewTokens
                && samples == e.samples
                && Double.compare(temperature, e.temperature) == 0
                && Double.compare(topP, e.topP) == 0
                && seed == e.seed
                && extract == e.extract
                && Objects.equals(pattern, e.pattern)
                && compare == e.compare;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxNewTokens, samples, temperature, topP, seed, extract, pattern, compare);
    }
}
