package io.dftune.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingListenersTest {

    @Test
    void forwardsEveryCallbackOfTheListenerInterface() throws NoSuchMethodException {
        for (Method callback : TrainingListener.class.getDeclaredMethods()) {
            if (Modifier.isStatic(callback.getModifiers())) {
                continue;
            }
            Method own = TrainingListeners.class.getMethod(callback.getName(), callback.getParameterTypes());
            assertThat(own.getDeclaringClass())
                    .as("TrainingListeners must forward %s", callback.getName())
                    .isEqualTo(TrainingListeners.class);
        }
    }

    @Test
    void aFailingObserverDoesNotStopTheOthers() {
        List<Long> seen = new ArrayList<>();
        TrainingListener failing = new TrainingListener() {
            @Override
            public void onStep(StepMetrics metrics) {
                throw new IllegalStateException("observer bug");
            }
        };
        TrainingListener recording = new TrainingListener() {
            @Override
            public void onStep(StepMetrics metrics) {
                seen.add(metrics.step());
            }
        };
        new TrainingListeners(List.of(failing, recording))
                .onStep(new StepMetrics(3, 10, 0.3, 1, 1, 0.5, 0.1, 0.5, 1e-4, 1, 100, 20, 0.2));
        assertThat(seen).containsExactly(3L);
    }
}
