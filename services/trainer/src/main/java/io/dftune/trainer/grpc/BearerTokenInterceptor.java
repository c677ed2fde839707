package io.dftune.trainer.grpc;

import io.dftune.trainer.service.TrainerConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * With {@code dftune.auth.token-file} set, every call must carry {@code authorization: Bearer
 * <token>}. The health service stays open, since kubelet gRPC probes cannot send headers.
 */
@ApplicationScoped
@GlobalInterceptor
public class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";
    private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

    private final Optional<byte[]> token;

    @Inject
    public BearerTokenInterceptor(TrainerConfig config) {
        this.token = config.auth().tokenFile().map(BearerTokenInterceptor::read);
    }

    private static byte[] read(Path file) {
        try {
            String text = Files.readString(file).strip();
            if (text.isEmpty()) {
                throw new IllegalStateException("dftune.auth.token-file " + file + " is empty");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dftune.auth.token-file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (token.isEmpty()
                || HEALTH_SERVICE.equals(call.getMethodDescriptor().getServiceName())
                || authorized(headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        call.close(
                Status.UNAUTHENTICATED.withDescription("this trainer needs \"authorization: Bearer <token>\""),
                new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith(SCHEME)) {
            return false;
        }
        byte[] presented = header.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token.get(), presented);
    }
}
