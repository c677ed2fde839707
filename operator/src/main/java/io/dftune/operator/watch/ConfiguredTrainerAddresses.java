package io.dftune.operator.watch;

import io.dftune.operator.config.OperatorConfig;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code dftune.trainer.address} with {name} and {namespace} filled in: the Service by default. */
@ApplicationScoped
@DefaultBean
public class ConfiguredTrainerAddresses implements TrainerAddresses {
    private final String template;

    public ConfiguredTrainerAddresses(OperatorConfig config) {
        this.template = config.trainer().address();
    }

    @Override
    public String address(String namespace, String name) {
        return template.replace("{name}", name).replace("{namespace}", namespace);
    }
}
