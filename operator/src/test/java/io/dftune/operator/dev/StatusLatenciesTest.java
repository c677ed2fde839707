package io.dftune.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusLatenciesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void aStepSkippedByRateLimitingCountsUntilALaterStepIsShown() {
        List<StatusLatencies.StepEvent> events = List.of(
                new StatusLatencies.StepEvent(1, at(0)),
                new StatusLatencies.StepEvent(2, at(100)),
                new StatusLatencies.StepEvent(3, at(200)));
        List<StatusLatencies.StatusSeen> statuses =
                List.of(new StatusLatencies.StatusSeen(at(50), 1), new StatusLatencies.StatusSeen(at(1250), 3));
        assertThat(StatusLatencies.of(events, statuses))
                .containsExactly(Duration.ofMillis(50), Duration.ofMillis(1150), Duration.ofMillis(1050));
    }

    @Test
    void stepsNeverShownAreLeftOutAndAnEarlierStatusOfAnOlderStepDoesNotCount() {
        List<StatusLatencies.StepEvent> events =
                List.of(new StatusLatencies.StepEvent(5, at(0)), new StatusLatencies.StepEvent(6, at(10)));
        List<StatusLatencies.StatusSeen> statuses =
                List.of(new StatusLatencies.StatusSeen(at(5), 4), new StatusLatencies.StatusSeen(at(700), 5));
        assertThat(StatusLatencies.of(events, statuses)).containsExactly(Duration.ofMillis(700));
    }

    @Test
    void quantilesByNearestRank() {
        List<Duration> latencies = java.util.stream.IntStream.rangeClosed(1, 200)
                .mapToObj(Duration::ofMillis)
                .toList();
        assertThat(StatusLatencies.quantile(latencies, 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(StatusLatencies.quantile(latencies, 0.99)).isEqualTo(Duration.ofMillis(198));
        assertThat(StatusLatencies.quantile(latencies, 1.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(StatusLatencies.quantile(List.of(Duration.ofMillis(7)), 0.99))
                .isEqualTo(Duration.ofMillis(7));
        assertThatThrownBy(() -> StatusLatencies.quantile(List.of(), 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
