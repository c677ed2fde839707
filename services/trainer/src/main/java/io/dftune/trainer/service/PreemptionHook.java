package io.dftune.trainer.service;

import io.dftune.spec.run.ExitCodes;
import java.time.Duration;

/**
 * Makes SIGTERM mean "finish the step, write a checkpoint, exit 75". The JVM runs shutdown hooks
 * on the signal; this one stops the run, waits for it (at most the grace period) and halts with
 * the run's exit code, because a signal-initiated exit would otherwise report 143 whatever the
 * run did. On a normal exit the run has ended already and the code is the same.
 */
public final class PreemptionHook {
    private PreemptionHook() {}

    public static void install(TrainingSession session, Duration grace, Runnable beforeExit) {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (!session.isClaimed()) {
                                return;
                            }
                            if (session.preemptIfRunning()) {
                                System.err.println(
                                        "dftune: stop requested; finishing the current step and writing a checkpoint");
                            }
                            try {
                                if (!session.awaitEnd(grace)) {
                                    System.err.println("dftune: the grace period of " + grace.toSeconds()
                                            + "s ran out before the checkpoint was written");
                                    halt(ExitCodes.FAILED);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            beforeExit.run();
                            halt(session.exitCode());
                        },
                        "dftune-preemption"));
    }

    private static void halt(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }
}
