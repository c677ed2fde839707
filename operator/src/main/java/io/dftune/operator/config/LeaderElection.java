package io.dftune.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election for the Java Operator SDK, from the operator's settings: the Quarkus operator SDK
 * uses it when a bean provides one (in the prod profile), and none when this produces null. The
 * replica's identity is its pod name ({@code HOSTNAME}). A leader that cannot renew its lease
 * exits (the SDK's default), so two replicas never reconcile at once.
 */
@Singleton
public class LeaderElection {
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        OperatorConfig.LeaderElection settings = config.leaderElection();
        if (!settings.enabled()) {
            return null;
        }
        LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                        settings.leaseName())
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod());
        settings.leaseNamespace().ifPresent(builder::withLeaseNamespace);
        return builder.build();
    }
}
