package io.dftune.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator's settings; each is also an environment variable ({@code dftune.trainer.image} is
 * {@code DFTUNE_TRAINER_IMAGE}). Documented in docs/operator.md.
 */
@ConfigMapping(prefix = "dftune")
public interface OperatorConfig {
    Trainer trainer();

    LeaderElection leaderElection();

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

    /**
     * Several replicas of the operator elect a leader through a Lease; only the leader reconciles,
     * the others keep their caches warm and take over when its lease runs out.
     */
    interface LeaderElection {
        /** Off: this replica reconciles at once, and must be the only one. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("dftune-operator")
        String leaseName();

        /** Where the Lease lives; by default the namespace of the operator's client (in a pod: its own). */
        Optional<String> leaseNamespace();

        /** How long a lease lasts without renewal: the longest a stopped leader is not replaced. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader keeps trying to renew before it stops leading (and exits). */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often the leader renews and the others try to take the lease. */
        @WithDefault("2s")
        Duration retryPeriod();
    }
}
