package io.dftune.trainer.cli;

import io.dftune.engine.train.LaunchedRun;
import io.dftune.engine.train.RunOutcome;
import io.dftune.spec.run.ExitCodes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM/SIGINT into "finish the step, checkpoint, exit {@link ExitCodes#PREEMPTED}".
 * The JVM runs shutdown hooks on those signals; the hook asks the run to stop, waits for it
 * (at most the grace period), then halts with the preempted code, since a signal-initiated
 * shutdown would otherwise exit 143 whatever the run did.
 */
final class GracefulStop implements AutoCloseable {
    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    GracefulStop(LaunchedRun run, long graceSeconds) {
        hook = new Thread(
                () -> {
                    System.err.println("dftune: stop requested; finishing the current step and writing a checkpoint");
                    run.requestStop(RunOutcome.PREEMPTED);
                    try {
                        if (!finished.await(graceSeconds, TimeUnit.SECONDS)) {
                            System.err.println(
                                    "dftune: grace period of " + graceSeconds + "s ran out before the checkpoint");
                            Runtime.getRuntime().halt(ExitCodes.FAILED);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    System.err.flush();
                    System.out.flush();
                    Runtime.getRuntime().halt(ExitCodes.PREEMPTED);
                },
                "dftune-graceful-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Marks the run finished; a pending hook then exits, otherwise the hook is removed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is already running and will exit the process.
            try {
                hook.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
