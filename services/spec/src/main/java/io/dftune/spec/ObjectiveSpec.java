package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * The objective and the parameters of its variants. Every parameter has a default and is
 * range-checked whatever the type, so switching type never turns a stale value into an error later.
 */
public class ObjectiveSpec {
    @Default("dft")
    @JsonPropertyDescription("sft, dft, asft, prob-q or dft-power.")
    private ObjectiveType type = ObjectiveType.DFT;

    @Min(0)
    @Default("0.05")
    @JsonPropertyDescription("asft: weight of the KL term.")
    private double klWeight = 0.05;

    @Min(value = 0, inclusive = false)
    @Max(1)
    @Default("1.0")
    @JsonPropertyDescription("prob-q: exponent q in (0, 1].")
    private double q = 1.0;

    @Min(0)
    @Max(1)
    @Default("1.0")
    @JsonPropertyDescription("dft-power: exponent beta in [0, 1] on the token probability weight.")
    private double beta = 1.0;

    @Default("false")
    @JsonPropertyDescription(
            "dft-power: ramp beta linearly from 0 to its value over the warmup (training.warmupRatio).")
    private boolean betaRamp = false;

    public ObjectiveSpec() {}

    public ObjectiveSpec(ObjectiveType type) {
        this.type = type;
    }

    public ObjectiveType getType() {
        return type;
    }

    public void setType(ObjectiveType type) {
        this.type = type;
    }

    public double getKlWeight() {
        return klWeight;
    }

    public void setKlWeight(double klWeight) {
        this.klWeight = klWeight;
    }

    public double getQ() {
        return q;
    }

    public void setQ(double q) {
        this.q = q;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    public boolean isBetaRamp() {
        return betaRamp;
    }

    public void setBetaRamp(boolean betaRamp) {
        this.betaRamp = betaRamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectiveSpec s
                && type == s.type
                && Double.compare(klWeight, s.klWeight) == 0
                && Double.compare(q, s.q) == 0
                && Double.compare(beta, s.beta) == 0
                && betaRamp == s.betaRamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, klWeight, q, beta, betaRamp);
    }
}
