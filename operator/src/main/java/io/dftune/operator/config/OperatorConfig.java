package io.dftune.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The operator's settings; each is also an environment variable ({@code dftune.trainer.image} is
 * {@code DFTUNE_TRAINER_IMAGE}). Documented in docs/operator.md.
 */
@ConfigMapping(prefix = "dftune")
public interface OperatorConfig {
    Trainer trainer();

    /** The shortest time between two status writes of one job caused by training progress. */
    @WithDefault("5s")
    Duration statusInterval();

    interface Trainer {
        /** The image of trainer pods whose FineTuneJob sets no spec.image. */
        @WithDefault("dftune-trainer:latest")
        String image();

        /**
         * Where the operator reaches a job's trainer (gRPC); {name} and {namespace} are replaced
         * by the FineTuneJob's. The default is the trainer Service's cluster DNS name.
         */
        @WithDefault("{name}-trainer.{namespace}.svc:8080")
        String address();

        /**
         * How long a stopped trainer may take to finish its step and write a checkpoint; the pod's
         * terminationGracePeriodSeconds is this plus 30 seconds.
         */
        @WithDefault("120s")
        Duration stopGracePeriod();

        /**
         * Whether trainer pods carry {@code prometheus.io/scrape}, {@code /port} and {@code /path}
         * annotations, for a Prometheus that discovers pods by annotation.
         */
        @WithDefault("false")
        boolean scrapeAnnotations();
    }
}
