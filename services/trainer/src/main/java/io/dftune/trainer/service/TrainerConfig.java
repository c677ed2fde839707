package io.dftune.trainer.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The trainer service's settings ({@code dftune.*}; environment variables {@code DFTUNE_*}). */
@ConfigMapping(prefix = "dftune")
public interface TrainerConfig {

    /** A FineTuneJob manifest to run at start-up ({@code DFTUNE_JOB_FILE}); the process exits when it ends. */
    Optional<Path> jobFile();

    /**
     * Where the process leaves its final status when it ends ({@code DFTUNE_TERMINATION_MESSAGE_PATH}; in
     * a pod, the container's terminationMessagePath), for whoever reads the container's end.
     */
    Optional<Path> terminationMessagePath();

    /** On SIGTERM, how long the current step and the checkpoint may take before the process gives up. */
    @WithDefault("120s")
    Duration stopGracePeriod();

    /** How many run events WatchRun keeps for clients that reconnect. */
    @WithDefault("4096")
    int eventBufferSize();

    /** The namespace tag of the metrics when the manifest has no metadata.namespace. */
    @WithDefault("local")
    String namespace();

    Auth auth();

    Generate generate();

    /** Bounds on Generate, so sampling never takes a training pod's memory or pace. */
    interface Generate {
        /** The most new tokens one Generate call may ask for. */
        @WithDefault("1024")
        int maxNewTokens();

        /** How many Generate calls may wait or run at once; more are refused with RESOURCE_EXHAUSTED. */
        @WithDefault("4")
        int maxWaiting();
    }

    interface Auth {
        /** A file holding the token every gRPC call must carry as {@code authorization: Bearer <token>}. */
        Optional<Path> tokenFile();
    }
}
