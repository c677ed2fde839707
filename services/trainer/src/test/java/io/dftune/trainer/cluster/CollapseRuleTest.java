package io.dftune.trainer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.trainer.experiment.Score;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The collapse rule on made-up validation curves (exact match at evaluations every 10 of 100 steps;
 * avg@k when the evaluation samples),
 * fed one evaluation at a time as the command sees them.
 */
class CollapseRuleTest {
    private static final Score BASE = score(0.45);
    private static final CollapseRule RULE = new CollapseRule(0.1);

    private static Score score(double exactMatch) {
        return new Score(exactMatch, 1.0, 0.5, 200);
    }

    /** The index of the first evaluation (step 10 * (i + 1)) at which the rule stops the run. */
    private static OptionalInt stopsAt(CollapseRule rule, List<Double> curve) {
        for (int i = 0; i < curve.size(); i++) {
            if (rule.check(BASE, score(curve.get(i)), 10L * (i + 1), 100).isPresent()) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    @Test
    void aRunThatImprovesRunsToTheEnd() {
        assertThat(stopsAt(RULE, List.of(0.40, 0.48, 0.55, 0.61, 0.66, 0.70, 0.72, 0.75, 0.77)))
                .isEmpty();
    }

    @Test
    void aDipWithinTheMarginIsTolerated() {
        assertThat(stopsAt(RULE, List.of(0.36, 0.40, 0.50, 0.56, 0.60, 0.62, 0.63, 0.64, 0.65)))
                .isEmpty();
    }

    @Test
    void aCollapseStopsTheRunAtTheFirstEvaluationPastTheMargin() {
        assertThat(stopsAt(RULE, List.of(0.44, 0.41, 0.36, 0.20, 0.05, 0.0, 0.0, 0.0, 0.0)))
                .hasValue(3);
    }

    @Test
    void theMarginIsTheUsersChoice() {
        List<Double> slowDecline = List.of(0.44, 0.40, 0.36, 0.32, 0.28, 0.24, 0.20, 0.16, 0.12);
        assertThat(stopsAt(new CollapseRule(0.0), slowDecline)).hasValue(0);
        assertThat(stopsAt(new CollapseRule(0.2), slowDecline)).hasValue(5);
        assertThat(stopsAt(new CollapseRule(0.5), slowDecline)).isEmpty();
    }

    @Test
    void theEvaluationsBeforeTrainingAndAtTheEndNeverStopARun() {
        Score collapsed = score(0.0);
        assertThat(RULE.check(BASE, collapsed, 0, 100))
                .as("step 0 is the base itself")
                .isEmpty();
        assertThat(RULE.check(BASE, collapsed, 100, 100))
                .as("the run has finished")
                .isEmpty();
        assertThat(RULE.check(BASE, collapsed, 50, 100))
                .hasValueSatisfying(reason -> assertThat(reason).contains("0.000 at step 50 of 100", "0.450"));
        assertThat(RULE.check(null, collapsed, 50, 100)).as("no base score yet").isEmpty();
    }

    @Test
    void withSamplesAvgAtKJudges() {
        Score base = new Score(0.45, 1.0, 0.5, 200, 16, 0.40, 0.9, 0.5);
        Score greedyHoldsSamplesCollapse = new Score(0.45, 1.0, 0.5, 200, 16, 0.20, 0.7, 0.3);
        Score greedyFallsSamplesHold = new Score(0.20, 1.0, 0.5, 200, 16, 0.38, 0.9, 0.5);

        assertThat(RULE.check(base, greedyHoldsSamplesCollapse, 50, 100))
                .hasValueSatisfying(reason -> assertThat(reason).contains("avg@16 0.200", "0.400"));
        assertThat(RULE.check(base, greedyFallsSamplesHold, 50, 100)).isEmpty();
    }

    @Test
    void aMarginOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new CollapseRule(1.5)).hasMessageContaining("--collapse-margin");
        assertThatThrownBy(() -> new CollapseRule(Double.NaN)).hasMessageContaining("--collapse-margin");
    }
}
