package io.dftune.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass;
import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.dftune.trainer.testing.TrainerClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** With a token file configured, the Trainer service wants "authorization: Bearer <token>" on every call. */
@QuarkusTest
@TestProfile(BearerTokenTest.WithTokenFile.class)
class BearerTokenTest {
    static final String TOKEN = "s3cret-token";

    public static class WithTokenFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("dftune-token-", ".txt");
                Files.writeString(file, TOKEN + "\n");
                return Map.of("dftune.auth.token-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL root;

    private TrainerClient client;

    @BeforeEach
    void connect() {
        client = new TrainerClient(root.getPort());
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
        assertThat(codeOf(() -> client.blocking().watchRun(WatchRunRequest.getDefaultInstance()).hasNext()))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void callsWithTheTokenAreServed() {
        TrainerGrpc.TrainerBlockingStub trainer = client.withAuthorization("Bearer " + TOKEN);
        assertThat(trainer.getRun(GetRunRequest.getDefaultInstance()).getPhase()).isEqualTo(Phase.PHASE_IDLE);
    }

    @Test
    void healthChecksNeedNoToken() {
        HealthOuterClass.HealthCheckResponse health = HealthGrpc.newBlockingStub(client.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthOuterClass.HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING);
    }
}
