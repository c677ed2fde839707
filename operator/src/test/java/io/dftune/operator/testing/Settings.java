package io.dftune.operator.testing;

import io.dftune.operator.config.OperatorConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** The operator's settings as the application would read them: the defaults, and these values. */
public final class Settings {
    private Settings() {}

    /** E.g. {@code of(Map.of("dftune.status-interval", "30s"))}. */
    public static OperatorConfig of(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withMapping(OperatorConfig.class)
                // "5s": Quarkus' own duration syntax, as the application reads it.
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(values)
                .build()
                .getConfigMapping(OperatorConfig.class);
    }
}
