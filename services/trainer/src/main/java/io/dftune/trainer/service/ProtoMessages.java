package io.dftune.trainer.service;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.train.StepMetrics;
import io.dftune.proto.v1.Checkpoint;
import io.dftune.proto.v1.TrainMetrics;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.ReportedMetric;
import io.dftune.spec.run.StepMetric;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.function.Function;

/** Engine results as the messages of the gRPC contract. */
public final class ProtoMessages {
    private ProtoMessages() {}

    public static TrainMetrics train(StepMetrics m) {
        return withMetrics(TrainMetrics.newBuilder(), StepMetric.values(), m::value)
                .build();
    }

    public static io.dftune.proto.v1.EvalMetrics eval(EvalMetrics m) {
        return withMetrics(io.dftune.proto.v1.EvalMetrics.newBuilder(), EvalMetric.values(), m::value)
                .build();
    }

    /** Sets each metric that has a value on the message field named by its key. */
    static <M extends ReportedMetric, B extends Message.Builder> B withMetrics(
            B builder, M[] metrics, Function<M, OptionalDouble> values) {
        Descriptors.Descriptor type = builder.getDescriptorForType();
        for (M metric : metrics) {
            Descriptors.FieldDescriptor field = type.findFieldByName(metric.key());
            if (field == null) {
                throw new IllegalStateException(type.getFullName() + " has no field for the metric " + metric.key());
            }
            OptionalDouble value = values.apply(metric);
            if (value.isPresent()) {
                builder.setField(field, fieldValue(field, value.getAsDouble()));
            }
        }
        return builder;
    }

    private static Object fieldValue(Descriptors.FieldDescriptor field, double value) {
        return switch (field.getJavaType()) {
            case LONG -> (long) value;
            case INT -> (int) value;
            case DOUBLE -> value;
            default -> throw new IllegalStateException(field.getFullName() + " is not a number field");
        };
    }

    public static Checkpoint checkpoint(long step, Path directory, double writeSeconds) {
        return Checkpoint.newBuilder()
                .setName(directory.getFileName().toString())
                .setStep(step)
                .setPath(directory.toString())
                .setWriteSeconds(writeSeconds)
                .build();
    }

    public static io.dftune.proto.v1.MemoryPlan memoryPlan(MemoryPlan plan) {
        return io.dftune.proto.v1.MemoryPlan.newBuilder()
                .setPeakBytes(plan.peak())
                .setAvailableBytes(plan.available())
                .setAvailableSource(plan.availableSource())
                .setFits(plan.fits())
                .setPrecision(plan.precision().describe())
                .setWeightsBytes(plan.weights())
                .setGradientsAndOptimizerBytes(plan.trainableState())
                .setActivationsBytes(plan.activations())
                .setLossChunkBytes(plan.lossChunk())
                .setWeightCopiesBytes(plan.computeCopies())
                .setRuntimeOverheadBytes(plan.overhead())
                .setSummary(plan.describe())
                .build();
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
