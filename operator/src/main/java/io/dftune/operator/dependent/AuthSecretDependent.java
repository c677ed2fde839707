package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * {@code <job>-auth}: a random bearer token, made once. The trainer pod requires it on every gRPC
 * call and the operator presents it, so only holders of this Secret can cancel or sample the job.
 * Created, never updated: a new token would lock the running trainer out.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNames.MANAGED_SELECTOR))
public class AuthSecretDependent extends KubernetesDependentResource<Secret, FineTuneJob>
        implements Creator<Secret, FineTuneJob>, GarbageCollected<FineTuneJob> {
    public static final String TOKEN_KEY = "token";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected Secret desired(FineTuneJob job, Context<FineTuneJob> context) {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        return new SecretBuilder()
                .withMetadata(ResourceNames.metadata(
                        job, ResourceNames.authSecret(job.getMetadata().getName())))
                .withType("Opaque")
                .addToData(
                        TOKEN_KEY,
                        Base64.getEncoder()
                                .encodeToString(Base64.getUrlEncoder()
                                        .withoutPadding()
                                        .encodeToString(token)
                                        .getBytes(StandardCharsets.US_ASCII)))
                .build();
    }

    /** The token a Secret holds, or null. */
    public static String token(Secret secret) {
        if (secret.getData() == null || !secret.getData().containsKey(TOKEN_KEY)) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(TOKEN_KEY)), StandardCharsets.UTF_8).strip();
    }
}
