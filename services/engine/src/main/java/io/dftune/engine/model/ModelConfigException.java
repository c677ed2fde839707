package io.dftune.engine.model;

/** A config.json that is invalid or describes a model this project does not support. */
public class ModelConfigException extends IllegalArgumentException {
    public ModelConfigException(String message) {
        super(message);
    }
}
