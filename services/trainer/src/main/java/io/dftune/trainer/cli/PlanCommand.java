package io.dftune.trainer.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.model.ComputePrecision;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.plan.AvailableMemory;
import io.dftune.engine.plan.MemoryAdvice;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.plan.MemoryPlanner;
import io.dftune.spec.ByteSizes;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.LocalVolumes;
import io.dftune.spec.run.ExitCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dftune plan job.yaml}: the job's memory plan, from its model's config.json and its spec,
 * without reading weights; the last stdout line is one JSON object.
 */
@Command(
        name = "plan",
        description = "Print a FineTuneJob's memory plan (from config.json and the spec; no weights are read).")
final class PlanCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "FineTuneJob manifest")
    Path jobFile;

    @Option(names = "--volume", paramLabel = "CLAIM=DIR", description = "A local folder for pvc://CLAIM/... paths.")
    List<String> volumes = new ArrayList<>();

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description = "Plan for this much memory (e.g. 80GB) instead of this machine's or GPU's.")
    String memory;

    @Option(names = "--gpu", description = "Plan for a GPU (bfloat16 matmuls) instead of this machine's device.")
    boolean gpu;

    @Override
    public Integer call() throws Exception {
        FineTuneJob job = FineTuneJobFiles.load(jobFile);
        LocalVolumes.parse(volumes).apply(job.getSpec());
        ModelConfig config = ModelConfig.read(Path.of(job.getSpec().getModel().getPath()));
        Device device = gpu ? Device.gpu() : deviceOfThisMachine();
        MemoryAdvice.PrecisionOnDevice precisionOn =
                gpu ? ComputePrecision::assumedForGpu : p -> ComputePrecision.of(p, device);
        long available;
        String source;
        if (memory != null) {
            ByteSizes.problem(memory).ifPresent(p -> {
                throw new IllegalArgumentException("--memory " + memory + ": " + p);
            });
            available = ByteSizes.parse(memory);
            source = "--memory " + memory;
        } else {
            AvailableMemory detected = AvailableMemory.of(device);
            available = detected.bytes();
            source = detected.source();
        }
        int chunk = ResponseLoss.DEFAULT_CHUNK_TOKENS;
        MemoryPlan plan = MemoryPlanner.plan(
                config,
                job.getSpec(),
                precisionOn.of(job.getSpec().getTraining().getPrecision()),
                chunk,
                available,
                source);
        List<MemoryAdvice.Option> options =
                plan.fits() ? List.of() : MemoryAdvice.options(config, job.getSpec(), precisionOn, chunk, plan);
        System.out.println(plan.precision().describe());
        System.out.println(plan.describe());
        System.out.println(plan.fits() ? "fits" : MemoryAdvice.message(plan, options));
        System.out.println(JSON.writeValueAsString(json(plan, options)));
        return ExitCodes.SUCCEEDED;
    }

    private static Device deviceOfThisMachine() {
        EngineStartup.newBaseManager().close();
        return Engine.getInstance().defaultDevice();
    }

    static ObjectNode json(MemoryPlan plan, List<MemoryAdvice.Option> options) {
        ObjectNode out = JSON.createObjectNode();
        out.put("peak_bytes", plan.peak());
        out.put("available_bytes", plan.available());
        out.put("available_source", plan.availableSource());
        out.put("fits", plan.fits());
        out.put("precision", plan.precision().describe());
        ObjectNode parts = out.putObject("parts");
        parts.put("weights", plan.weights());
        parts.put("gradients_and_optimizer", plan.trainableState());
        parts.put("activations", plan.activations());
        parts.put("loss_chunk", plan.lossChunk());
        parts.put("weight_copies", plan.computeCopies());
        parts.put("runtime_overhead", plan.overhead());
        ArrayNode alternatives = out.putArray("options");
        for (MemoryAdvice.Option o : options) {
            alternatives
                    .addObject()
                    .put("change", o.change())
                    .put("peak_bytes", o.peak())
                    .put("fits", o.fits());
        }
        return out;
    }
}
