package io.dftune.operator;

import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The operator's settings for code the Java Operator SDK instantiates itself (dependent
 * resources), which works with or without CDI injection.
 */
public final class Settings {
    private Settings() {}

    public static OperatorConfig get() {
        return ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(OperatorConfig.class);
    }
}
