package io.dftune.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The work of one child JVM of the harness. */
final class ChildTasks {
    private ChildTasks() {}

    static ObjectNode run(String task, String[] args) {
        Engine.getInstance(); // start libtorch before anything is timed
        JniUtils.setGradMode(false); // as FineTuneRun: the optimizer updates in place outside autograd
        Bench.log(
                "child %s: libtorch %s, %d intra-op threads",
                task, Engine.getInstance().getVersion(), JniUtils.getNumThreads());
        ObjectNode result =
                switch (task) {
                    case "speed" -> TrainingSpeedBench.child(args);
                    case "dft" -> DftCostBench.child(args);
                    case "packing" -> PackingBench.child(args);
                    case "data-load" -> DataLoadBench.child(args);
                    case "scaling" -> ScalingBench.child(args);
                    case "loss-variant" -> LossMemoryBench.child(args);
                    case "runtime-steps" -> RuntimeBench.child(args);
                    case "fit-model" -> FitBench.modelChild(args);
                    case "fit-peak" -> FitBench.peakChild(args);
                    case "fit-activations" -> FitBench.activationsChild(args);
                    default -> throw new IllegalArgumentException("unknown child task " + task);
                };
        result.put("libtorch", Engine.getInstance().getVersion());
        result.put("torch_threads", JniUtils.getNumThreads());
        return result;
    }
}
