package io.dftune.trainer.testing;

import io.dftune.proto.v1.TrainerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/** A gRPC client channel to a trainer on localhost (plain or TLS), optionally sending a bearer token. */
public final class TrainerClient implements AutoCloseable {
    private final ManagedChannel channel;

    public TrainerClient(int port) {
        this(ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build());
    }

    private TrainerClient(ManagedChannel channel) {
        this.channel = channel;
    }

    /** A TLS channel that trusts the certificate in {@code trusted} only. */
    public static TrainerClient tls(int port, SelfSignedKeyStore trusted) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted.load());
        return new TrainerClient(NettyChannelBuilder.forAddress("localhost", port)
                .sslContext(GrpcSslContexts.forClient().trustManager(trust).build())
                .build());
    }

    public ManagedChannel channel() {
        return channel;
    }

    public TrainerGrpc.TrainerBlockingStub blocking() {
        return TrainerGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public TrainerGrpc.TrainerStub async() {
        return TrainerGrpc.newStub(channel);
    }

    public TrainerGrpc.TrainerBlockingStub withAuthorization(String value) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), value);
        return blocking().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
