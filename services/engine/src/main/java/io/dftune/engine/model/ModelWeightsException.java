package io.dftune.engine.model;

import java.io.IOException;

/** Weights that do not match their config.json: a missing, unexpected or misshapen tensor. */
public class ModelWeightsException extends IOException {
    public ModelWeightsException(String message) {
        super(message);
    }
}
