package io.dftune.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.engine.model.ComputePrecision;
import io.dftune.engine.model.ModelConfig;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.FineTuneJobSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {
    private static final long GIB = 1L << 30;
    private static final ComputePrecision CPU_BF16 = new ComputePrecision(true, false, "test");
    /** Qwen2.5-1.5B's LM head (tied embedding) gradient: 151,936 x 1,536 float32. */
    private static final long HEAD_GRADIENT = 151_936L * 1_536 * 4;

    private static final ComputePrecision FAST_BF16 = new ComputePrecision(true, true, "test");

    private static ModelConfig real(String name) throws Exception {
        return ModelConfig.read(Path.of("src/test/resources/hf-configs/" + name + ".json"));
    }

    private static FineTuneJobSpec spec(String training, String adapter) {
        String yaml =
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                metadata: {name: plan}
                spec:
                  model: {path: /m}
                  data: {train: /d.jsonl}
                  adapter: %s
                  training: %s
                  output: {path: /o}
                """
                        .formatted(adapter, training);
        return FineTuneJobFiles.parse(yaml, Path.of("/")).getSpec();
    }

    /**
     * Attention scores in blocks of 256 queries, each block up to its last query: at 512 tokens
     * 256 x 256 + 256 x 512 scores, 384 per query; at 1024 (256 + 512 + 768 + 1024) x 256 / 1024.
     */
    @Test
    void attentionScoresCoverTheKeysUpToEachQueryBlock() {
        assertThat(MemoryPlanner.keysPerQuery(100)).isEqualTo(100);
        assertThat(MemoryPlanner.keysPerQuery(256)).isEqualTo(256);
        assertThat(MemoryPlanner.keysPerQuery(512)).isEqualTo(384);
        assertThat(MemoryPlanner.keysPerQuery(1024)).isEqualTo(640);
        // 256 x 256 + 44 x 300 = 78,736 scores over 300 queries, rounded up
        assertThat(MemoryPlanner.keysPerQuery(300)).isEqualTo(263);
    }

    @Test
    void fullFineTuningHoldsSixteenBytesPerParameterBeforeActivations() throws Exception {
        ModelConfig config = real("Qwen2.5-1.5B");
        MemoryPlan plan = MemoryPlanner.plan(
                config,
                spec("{maxLength: 512, batchSize: 1}", "{type: none}"),
                ComputePrecision.FLOAT32,
                24 * GIB,
                "test");
        // Qwen2.5-1.5B's published parameter count.
        assertThat(config.parameterCount()).isEqualTo(1_543_714_304L);
        assertThat(plan.weights()).isEqualTo(1_543_714_304L * 4);
        // Backward frees activations as it creates gradients: at length 512 the gradients outgrow them.
        assertThat(plan.trainableState() + plan.activations())
                .isEqualTo(1_543_714_304L * 8 + Math.max(1_543_714_304L * 4, plan.activations() + HEAD_GRADIENT));
        assertThat(plan.trainableState()).isGreaterThan(1_543_714_304L * 8 + HEAD_GRADIENT);
        assertThat(plan.computeCopies()).isZero();
        assertThat(plan.fits())
                .as("full float32 fine-tuning of 1.5B on 24 GiB: %s", plan.describe())
                .isFalse();
    }

    @Test
    void loraBf16AndCheckpointingFitTheOnePointFiveBModelInSevenGib() throws Exception {
        ModelConfig config = real("Qwen2.5-1.5B");
        FineTuneJobSpec lora = spec(
                "{maxLength: 512, batchSize: 1, precision: bf16, gradientCheckpointing: true}",
                "{type: lora, rank: 16}");
        MemoryPlan plan = MemoryPlanner.plan(config, lora, CPU_BF16, 7 * GIB, "test");
        assertThat(plan.fits()).as(plan.describe()).isTrue();
        // r (in + out) per adapted layer: 7 projections in each of 28 layers.
        long perLayer = 16L * ((1536 + 1536) + (1536 + 256) * 2 + (1536 + 1536) + (1536 + 8960) * 3);
        assertThat(plan.trainableState())
                .as("moments; the tiny gradients fit where activations were")
                .isEqualTo(perLayer * 28 * 8);
        assertThat(plan.weights()).isEqualTo(1_543_714_304L * 2 + perLayer * 28 * 4);
    }

    @Test
    void longSequencesPeakWithEveryActivationAndTheHeadGradientOnly() throws Exception {
        ModelConfig config = real("Qwen2.5-1.5B");
        MemoryPlan plan = MemoryPlanner.plan(
                config, spec("{maxLength: 8192, batchSize: 1}", "{type: none}"), ComputePrecision.FLOAT32, GIB, "t");

        assertThat(plan.activations()).isGreaterThan(1_543_714_304L * 4);
        assertThat(plan.trainableState()).isEqualTo(1_543_714_304L * 8 + HEAD_GRADIENT);
    }

    @Test
    void fullFineTuningInBfloat16KeepsBfloat16CopiesOfEveryMatrixUntilItsBackward() throws Exception {
        ModelConfig config = real("Qwen2.5-1.5B");
        // The published parameter count less q/k/v biases (2,048 per layer) and RMSNorm weights
        // (2 x 1,536 per layer, 1,536 final): the matrices, each once (the head is tied).
        long matrices = 1_543_714_304L - 28 * 2_048 - 28 * 2 * 1_536 - 1_536;
        MemoryPlan plain = MemoryPlanner.plan(
                config, spec("{maxLength: 512, batchSize: 1, precision: bf16}", "{type: none}"), FAST_BF16, GIB, "t");
        MemoryPlan checkpointed = MemoryPlanner.plan(
                config,
                spec("{maxLength: 512, batchSize: 1, precision: bf16, gradientCheckpointing: true}", "{type: none}"),
                FAST_BF16,
                GIB,
                "t");
        MemoryPlan lora = MemoryPlanner.plan(
                config, spec("{maxLength: 512, batchSize: 1, precision: bf16}", "{type: lora}"), FAST_BF16, GIB, "t");

        assertThat(plain.computeCopies()).isEqualTo(matrices * 2);
        long layer = 1536L * (1536 + 256 + 256 + 1536) + 3L * 1536 * 8960;
        assertThat(checkpointed.computeCopies()).isEqualTo((151_936L * 1536 + layer) * 2);
        assertThat(lora.computeCopies())
                .as("the frozen base is bfloat16 already")
                .isZero();
    }

    @Test
    void eachSavingLowersItsPartOfThePlan() throws Exception {
        ModelConfig config = real("Llama-3.2-1B");
        MemoryPlan full = MemoryPlanner.plan(
                config, spec("{maxLength: 1024, batchSize: 4}", "{type: none}"), ComputePrecision.FLOAT32, GIB, "t");
        MemoryPlan checkpointed = MemoryPlanner.plan(
                config,
                spec("{maxLength: 1024, batchSize: 4, gradientCheckpointing: true}", "{type: none}"),
                ComputePrecision.FLOAT32,
                GIB,
                "t");
        MemoryPlan lora = MemoryPlanner.plan(
                config, spec("{maxLength: 1024, batchSize: 4}", "{type: lora}"), ComputePrecision.FLOAT32, GIB, "t");
        assertThat(checkpointed.activations()).isLessThan(full.activations() / 3);
        assertThat(checkpointed.weights()).isEqualTo(full.weights());
        assertThat(lora.trainableState()).isLessThan(full.trainableState() / 50);
        assertThat(lora.peak()).isLessThan(full.peak());
    }

    @Test
    void aPlanThatDoesNotFitNamesWhatWouldWithItsPeak() throws Exception {
        ModelConfig config = real("Qwen2.5-7B");
        FineTuneJobSpec spec = spec("{maxLength: 1024, batchSize: 8, microBatchSize: 4}", "{type: none}");
        MemoryPlan plan = MemoryPlanner.plan(config, spec, ComputePrecision.FLOAT32, 24 * GIB, "the machine's memory");
        List<MemoryAdvice.Option> options = MemoryAdvice.options(
                config, spec, p -> new ComputePrecision(p == io.dftune.spec.Precision.BF16, false, "test"), 1024, plan);
        String message = MemoryAdvice.message(plan, options);
        assertThat(message)
                .startsWith("the run does not fit: its memory plan peaks at ")
                .contains("but 24.0 GiB is available (the machine's memory)")
                .contains("adapter.type lora")
                .contains("training.gradientCheckpointing true")
                .contains("training.microBatchSize 1")
                .contains("training.maxLength 512")
                .contains("(fits)");
        assertThat(options).allSatisfy(o -> assertThat(o.peak()).isLessThan(plan.peak()));
        Optional<MemoryAdvice.Option> all =
                options.stream().filter(o -> o.change().startsWith("all of")).findFirst();
        assertThat(all).hasValueSatisfying(o -> assertThat(o.fits()).isTrue());
    }

    @Test
    void theContainerLimitWinsOverTheMachineWhenLower() {
        assertThat(AvailableMemory.containerLimit(Optional.of("4294967296\n"), Optional.empty()))
                .hasValue(4L << 30);
        assertThat(AvailableMemory.containerLimit(Optional.of("max\n"), Optional.empty()))
                .isEmpty();
        assertThat(AvailableMemory.containerLimit(Optional.empty(), Optional.of("9223372036854771712")))
                .as("cgroup v1 without a limit")
                .isEmpty();
        assertThat(AvailableMemory.machineMemory("MemTotal:       24592348 kB\nMemFree: 1 kB\n"))
                .hasValue(24592348L * 1024);
    }
}
