package io.dftune.trainer.service;

import com.google.protobuf.Timestamp;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.train.StepMetrics;
import io.dftune.proto.v1.Checkpoint;
import io.dftune.proto.v1.TrainMetrics;
import java.nio.file.Path;
import java.time.Instant;

/** Engine results as the messages of the gRPC contract. */
public final class ProtoMessages {
    private ProtoMessages() {}

    public static TrainMetrics train(StepMetrics m) {
        return TrainMetrics.newBuilder()
                .setStep(m.step())
                .setTotalSteps(m.totalSteps())
                .setEpoch(m.epoch())
                .setLoss(m.loss())
                .setNll(m.nll())
                .setMeanTargetProb(m.meanTargetProb())
                .setLowProbTokenRatio(m.lowProbTokenRatio())
                .setTokenAccuracy(m.tokenAccuracy())
                .setLearningRate(m.learningRate())
                .setGradNorm(m.gradNorm())
                .setTokensPerSecond(m.tokensPerSecond())
                .setResponseTokens(m.responseTokens())
                .setStepSeconds(m.stepSeconds())
                .build();
    }

    public static io.dftune.proto.v1.EvalMetrics eval(EvalMetrics m) {
        io.dftune.proto.v1.EvalMetrics.Builder b = io.dftune.proto.v1.EvalMetrics.newBuilder()
                .setStep(m.step())
                .setNll(m.nll())
                .setDftLoss(m.dftLoss())
                .setMeanTargetProb(m.meanTargetProb())
                .setLowProbTokenRatio(m.lowProbTokenRatio())
                .setTokenAccuracy(m.tokenAccuracy())
                .setTokens(m.tokens())
                .setAnswered(m.answered());
        if (m.hasExactMatch()) {
            b.setExactMatch(m.exactMatch());
        }
        return b.build();
    }

    public static Checkpoint checkpoint(long step, Path directory, double writeSeconds) {
        return Checkpoint.newBuilder()
                .setName(directory.getFileName().toString())
                .setStep(step)
                .setPath(directory.toString())
                .setWriteSeconds(writeSeconds)
                .build();
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
