package io.dftune.trainer.experiment;

/** An experiment file that cannot be run; the message names the file and the field. */
public final class ExperimentPlanException extends RuntimeException {
    public ExperimentPlanException(String message) {
        super(message);
    }
}
