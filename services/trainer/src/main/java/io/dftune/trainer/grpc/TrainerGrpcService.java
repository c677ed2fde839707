package io.dftune.trainer.grpc;

import io.dftune.engine.generate.GenerationSettings;
import io.dftune.engine.train.CheckpointStore;
import io.dftune.engine.train.RunOutcome;
import io.dftune.proto.v1.CancelRunRequest;
import io.dftune.proto.v1.GenerateRequest;
import io.dftune.proto.v1.GenerateResponse;
import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.ListCheckpointsRequest;
import io.dftune.proto.v1.ListCheckpointsResponse;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.RunStatus;
import io.dftune.proto.v1.StartRunRequest;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.run.RunDirectory;
import io.dftune.trainer.service.Completion;
import io.dftune.trainer.service.Generations;
import io.dftune.trainer.service.NoActiveRunException;
import io.dftune.trainer.service.ProtoMessages;
import io.dftune.trainer.service.TrainingSession;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The dftune.v1.Trainer service: a thin mapping onto the training session. */
@GrpcService
public class TrainerGrpcService extends TrainerGrpc.TrainerImplBase {
    private static final int DEFAULT_MAX_NEW_TOKENS = 64;
    private static final Executor DIRECT = Runnable::run;

    @Inject
    TrainingSession session;

    @Inject
    EventStreams streams;

    @Inject
    Generations generations;

    @Override
    public void startRun(StartRunRequest request, StreamObserver<RunStatus> response) {
        reply(response, () -> {
            Path base = Path.of(request.getBaseDir().isBlank() ? "" : request.getBaseDir());
            return session.start(FineTuneJobFiles.parse(request.getManifest(), base));
        });
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<RunStatus> response) {
        reply(response, session::status);
    }

    @Override
    public void watchRun(WatchRunRequest request, StreamObserver<RunEvent> response) {
        streams.open(request, response);
    }

    @Override
    public void cancelRun(CancelRunRequest request, StreamObserver<RunStatus> response) {
        reply(response, () -> session.requestStop(RunOutcome.CANCELLED));
    }

    @Override
    @Blocking
    public void listCheckpoints(ListCheckpointsRequest request, StreamObserver<ListCheckpointsResponse> response) {
        reply(response, () -> {
            Path output = outputDirectory();
            ListCheckpointsResponse.Builder list = ListCheckpointsResponse.newBuilder();
            for (CheckpointStore.Checkpoint c : new CheckpointStore(new RunDirectory(output), 1).list()) {
                list.addCheckpoints(ProtoMessages.checkpoint(c.state().step(), c.directory(), 0));
            }
            return list.build();
        });
    }

    @Override
    @Blocking
    public void generate(GenerateRequest request, StreamObserver<GenerateResponse> response) {
        reply(response, () -> {
            if (request.getMaxNewTokens() < 0) {
                throw new IllegalArgumentException("max_new_tokens must be >= 0 (0: " + DEFAULT_MAX_NEW_TOKENS + ")");
            }
            GenerationSettings settings = new GenerationSettings(
                    request.getMaxNewTokens() == 0 ? DEFAULT_MAX_NEW_TOKENS : request.getMaxNewTokens(),
                    request.getTemperature(),
                    request.getTopP() == 0 ? 1.0 : request.getTopP(),
                    request.getSeed());
            Completion completion = await(generations.submit(request.getPrompt(), settings, request.getCheckpoint()));
            return GenerateResponse.newBuilder()
                    .setCompletion(completion.text())
                    .setTokens(completion.tokens())
                    .setWeightsStep(completion.weightsStep())
                    .build();
        });
    }

    private static Completion await(CompletableFuture<Completion> future) {
        // A client that gives up should not leave work in the training thread's queue.
        Context.current().addListener(context -> future.cancel(false), DIRECT);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (CancellationException e) {
            throw Status.CANCELLED.withDescription("the client gave up waiting").asRuntimeException();
        } catch (ExecutionException e) {
            throw GrpcErrors.of(e.getCause());
        }
    }

    private Path outputDirectory() {
        return session.outputDirectory().orElseThrow(() -> new NoActiveRunException("no run was started"));
    }

    private static <T> void reply(StreamObserver<T> response, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.of(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
