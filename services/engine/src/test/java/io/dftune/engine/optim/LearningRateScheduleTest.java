package io.dftune.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dftune.spec.Schedule;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmupRisesLinearlyFromZero() {
        LearningRateSchedule schedule = new LearningRateSchedule(Schedule.COSINE, 1e-3, 100, 0.1);
        assertThat(schedule.warmupSteps()).isEqualTo(10);
        assertThat(schedule.at(0)).isZero();
        assertThat(schedule.at(5)).isCloseTo(5e-4, within(1e-12));
        assertThat(schedule.at(10)).isCloseTo(1e-3, within(1e-12));
    }

    @Test
    void cosineReachesHalfAtMidpointOfDecay() {
        LearningRateSchedule schedule = new LearningRateSchedule(Schedule.COSINE, 2.0, 110, 0.0);
        assertThat(schedule.at(55)).isCloseTo(1.0, within(1e-9));
        assertThat(schedule.at(109)).isCloseTo(2.0 * 0.5 * (1 + Math.cos(Math.PI * 109 / 110)), within(1e-12));
    }

    @Test
    void linearDecaysToZeroAndConstantStays() {
        LearningRateSchedule linear = new LearningRateSchedule(Schedule.LINEAR, 1.0, 20, 0.5);
        assertThat(linear.at(15)).isCloseTo(0.5, within(1e-12));
        LearningRateSchedule constant = new LearningRateSchedule(Schedule.CONSTANT, 1.0, 20, 0.5);
        assertThat(constant.at(19)).isEqualTo(1.0);
        assertThat(constant.at(2)).isCloseTo(0.2, within(1e-12));
    }
}
