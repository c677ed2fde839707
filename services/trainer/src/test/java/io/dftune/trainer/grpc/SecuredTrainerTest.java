package io.dftune.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass;
import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.dftune.trainer.testing.SelfSignedKeyStore;
import io.dftune.trainer.testing.TrainerClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trainer configured as a production pod would be: TLS from Quarkus' TLS settings (plain
 * connections refused) and a token file, so every call must carry "authorization: Bearer <token>".
 */
@QuarkusTest
@TestProfile(SecuredTrainerTest.WithTlsAndToken.class)
class SecuredTrainerTest {
    static final String TOKEN = "s3cret-token";

    public static class WithTlsAndToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("dftune-secured-");
                Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
                SelfSignedKeyStore keyStore = SelfSignedKeyStore.create(dir);
                return Map.of(
                        "dftune.auth.token-file", tokenFile.toString(),
                        "quarkus.tls.key-store.p12.path", keyStore.path().toString(),
                        "quarkus.tls.key-store.p12.password", keyStore.password(),
                        "quarkus.http.insecure-requests", "disabled",
                        "quarkus.http.test-ssl-port", "0");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL root;

    private TrainerClient client;

    @BeforeEach
    void connect() throws Exception {
        Config config = ConfigProvider.getConfig();
        SelfSignedKeyStore trusted = new SelfSignedKeyStore(
                Path.of(config.getValue("quarkus.tls.key-store.p12.path", String.class)),
                config.getValue("quarkus.tls.key-store.p12.password", String.class));
        client = TrainerClient.tls(root.getPort(), trusted);
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
    }

    private static Status.Code codeOf(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
        assertThat(e).as("the call should be refused").isNotNull();
        return e.getStatus().getCode();
    }

    @Test
    void callsWithoutTheRightTokenAreRefused() {
        GetRunRequest request = GetRunRequest.getDefaultInstance();
        assertThat(codeOf(() -> client.blocking().getRun(request))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> client.withAuthorization("Bearer wrong-token").getRun(request)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> client.withAuthorization("Basic " + TOKEN).getRun(request)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(codeOf(() -> client.blocking()
                        .watchRun(WatchRunRequest.getDefaultInstance())
                        .hasNext()))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void plainTextConnectionsAreRefused() throws InterruptedException {
        try (TrainerClient plain = new TrainerClient(root.getPort())) {
            assertThat(codeOf(() ->
                            plain.withAuthorization("Bearer " + TOKEN).getRun(GetRunRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void callsWithTheTokenAreServed() {
        TrainerGrpc.TrainerBlockingStub trainer = client.withAuthorization("Bearer " + TOKEN);
        assertThat(trainer.getRun(GetRunRequest.getDefaultInstance()).getPhase())
                .isEqualTo(Phase.PHASE_IDLE);
    }

    @Test
    void healthChecksNeedNoToken() {
        HealthOuterClass.HealthCheckResponse health = HealthGrpc.newBlockingStub(client.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthOuterClass.HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING);
    }
}
