package io.dftune.engine.plan;

/** The run's memory plan exceeds what it has: it stops before loading weights, and retrying cannot help. */
public final class DoesNotFitException extends RuntimeException {
    private final MemoryPlan plan;

    public DoesNotFitException(String message, MemoryPlan plan) {
        super(message);
        this.plan = plan;
    }

    public MemoryPlan plan() {
        return plan;
    }
}
