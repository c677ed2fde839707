package io.dftune.engine.optim;

/** AdamW hyperparameters other than the (scheduled) learning rate. */
public record AdamWSettings(double beta1, double beta2, double epsilon, double weightDecay) {}
