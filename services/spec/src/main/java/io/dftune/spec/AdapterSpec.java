package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;
import java.util.Objects;

/**
 * A LoRA adapter as PEFT defines it: each targeted linear layer computes W x + (alpha / rank) B A
 * dropout(x), with W frozen and only A and B trained. Absent or {@code type: none}: full fine-tuning.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdapterSpec {
    /** Every linear layer of the transformer blocks (the LM head is not one of them, as in PEFT). */
    public static final String ALL_LINEAR = "all-linear";

    /** The projections of a Llama-family block, by the names PEFT's target_modules uses. */
    public static final List<String> LINEAR_MODULES =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    @Default("none")
    @JsonPropertyDescription("none (full fine-tuning) or lora.")
    private AdapterType type = AdapterType.NONE;

    @Min(1)
    @Max(1024)
    @Default("16")
    @JsonPropertyDescription("lora: the rank r of A [r, in] and B [out, r].")
    private int rank = 16;

    @Min(value = 0, inclusive = false)
    @Default("32.0")
    @JsonPropertyDescription("lora: alpha; the update is scaled by alpha / rank.")
    private double alpha = 32;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @Default("0.05")
    @JsonPropertyDescription("lora: dropout on the adapter's input while training.")
    private double dropout = 0.05;

    // Unset means all-linear (a list default the CRD schema could not state).
    @JsonPropertyDescription(
            "lora: the layers to adapt (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj),"
                    + " or [all-linear] for all of them; unset: all-linear.")
    private List<String> targetModules;

    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription("lora: a PEFT adapter directory to continue training (local or pvc://<claim>/<path>).")
    private String path;

    public AdapterSpec() {}

    @JsonIgnore
    public boolean isLora() {
        return type == AdapterType.LORA;
    }

    /** The targeted projections, {@code all-linear} spelled out. */
    public List<String> effectiveTargetModules() {
        return targetModules == null || targetModules.contains(ALL_LINEAR)
                ? LINEAR_MODULES
                : List.copyOf(targetModules);
    }

    public AdapterType getType() {
        return type;
    }

    public void setType(AdapterType type) {
        this.type = type;
    }

    public int getRank() {
        return rank;
    }

    public void setRank(int rank) {
        this.rank = rank;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public double getDropout() {
        return dropout;
    }

    public void setDropout(double dropout) {
        this.dropout = dropout;
    }

    public List<String> getTargetModules() {
        return targetModules;
    }

    public void setTargetModules(List<String> targetModules) {
        this.targetModules = targetModules;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdapterSpec a
                && type == a.type
                && rank == a.rank
                && Double.compare(alpha, a.alpha) == 0
                && Double.compare(dropout, a.dropout) == 0
                && Objects.equals(targetModules, a.targetModules)
                && Objects.equals(path, a.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, rank, alpha, dropout, targetModules, path);
    }
}
