package io.dftune.trainer.testing;

import io.dftune.proto.v1.TrainerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

import java.util.concurrent.TimeUnit;

/** A plain gRPC client channel to a trainer on localhost, optionally sending a bearer token. */
public final class TrainerClient implements AutoCloseable {
    private final ManagedChannel channel;

    public TrainerClient(int port) {
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
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
