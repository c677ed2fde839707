package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A toleration of the trainer pod, as in a Kubernetes pod spec (cluster only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.operator != 'Exists' || !has(self.value) || self.value == ''",
        message = "value must be empty when operator is Exists")
@ValidationRule(
        value = "!has(self.tolerationSeconds) || (has(self.effect) && self.effect == 'NoExecute')",
        message = "tolerationSeconds needs effect NoExecute")
@ValidationRule(value = "has(self.key) || self.operator == 'Exists'", message = "an empty key needs operator Exists")
public class TolerationSpec {
    /** How a toleration matches a taint's value. */
    public enum Operator {
        @JsonProperty("Exists")
        EXISTS,
        @JsonProperty("Equal")
        EQUAL
    }

    /** The taint effect a toleration matches; unset matches all. */
    public enum Effect {
        @JsonProperty("NoSchedule")
        NO_SCHEDULE,
        @JsonProperty("PreferNoSchedule")
        PREFER_NO_SCHEDULE,
        @JsonProperty("NoExecute")
        NO_EXECUTE
    }

    @JsonPropertyDescription("Taint key; empty with operator Exists tolerates every taint.")
    private String key;

    @Default("Equal")
    @JsonPropertyDescription("Exists or Equal.")
    private Operator operator = Operator.EQUAL;

    @JsonPropertyDescription("Taint value for operator Equal.")
    private String value;

    @JsonPropertyDescription("NoSchedule, PreferNoSchedule or NoExecute; unset matches all effects.")
    private Effect effect;

    @JsonPropertyDescription("With NoExecute: how long the pod stays bound after the taint appears.")
    private Long tolerationSeconds;

    public TolerationSpec() {}

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public Operator getOperator() {
        return operator;
    }

    public void setOperator(Operator operator) {
        this.operator = operator;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public Effect getEffect() {
        return effect;
    }

    public void setEffect(Effect effect) {
        this.effect = effect;
    }

    public Long getTolerationSeconds() {
        return tolerationSeconds;
    }

    public void setTolerationSeconds(Long tolerationSeconds) {
        this.tolerationSeconds = tolerationSeconds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TolerationSpec t
                && Objects.equals(key, t.key)
                && operator == t.operator
                && Objects.equals(value, t.value)
                && effect == t.effect
                && Objects.equals(tolerationSeconds, t.tolerationSeconds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, operator, value, effect, tolerationSeconds);
    }
}
