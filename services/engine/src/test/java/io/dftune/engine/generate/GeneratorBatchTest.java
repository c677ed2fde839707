package io.dftune.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.dftune.engine.model.Architecture;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorBatchTest {

    /** Llama; Qwen3 (q/k norms on cached keys); Mistral with a window shorter than the sequences. */
    static List<ModelConfig> configs() {
        return List.of(
                ModelConfig.llama(50, 32, 64, 2, 4, 2),
                ModelConfig.builder(Architecture.QWEN3)
                        .sizes(50, 32, 64, 2, 4, 2)
                        .headDim(12)
                        .build(),
                ModelConfig.builder(Architecture.MISTRAL)
                        .sizes(50, 32, 64, 2, 4, 2)
                        .slidingWindow(4)
                        .build());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void cachedBatchedGreedyDecodingGivesEachPromptsOwnGreedyCompletion(ModelConfig config) {
        try (NDManager manager = NDManager.newBaseManager()) {
            JniUtils.setGradMode(false);
            // A large init std makes the logits peaked, so near-ties (where float rounding could decide) are absent.
            CausalLm model = ModelInitializer.initialize(config, manager, 3, 0.5);
            int eos = 7;
            Generator generator = new Generator(model, eos);
            Random random = new Random(11);
            List<int[]> prompts = new ArrayList<>();
            for (int length : new int[] {1, 5, 3, 9, 2, 6, 4, 7, 1, 8, 3, 5}) {
                prompts.add(random.ints(length, 0, 50).toArray());
            }

            List<int[]> batched = generator.generateGreedy(prompts, 12);

            for (int i = 0; i < prompts.size(); i++) {
                int[] single = generator.generate(prompts.get(i), GenerationSettings.greedy(12));
                assertThat(batched.get(i)).as("prompt %d", i).containsExactly(single);
            }
            assertThat(batched)
                    .as("some rows stop at EOS, some at the limit")
                    .anyMatch(c -> c.length < 12)
                    .anyMatch(c -> c.length == 12);
            assertThat(generator.generateGreedy(prompts, 0))
                    .allSatisfy(c -> assertThat(c).isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void eachSampledRowDependsOnItsPromptAndSeedOnlyNotOnTheBatch(ModelConfig config) {
        try (NDManager manager = NDManager.newBaseManager()) {
            JniUtils.setGradMode(false);
            // A small init std keeps the distributions flat, so samples vary with the seed.
            CausalLm model = ModelInitializer.initialize(config, manager, 5, 0.05);
            Generator generator = new Generator(model, 7);
            Random random = new Random(13);
            List<int[]> prompts = new ArrayList<>();
            long[] seeds = new long[8];
            for (int i = 0; i < seeds.length; i++) {
                prompts.add(random.ints(1 + random.nextInt(7), 0, 50).toArray());
                seeds[i] = 1000 + i;
            }
            GenerationSettings settings = new GenerationSettings(10, 1.0, 0.95, 0);

            List<int[]> batched = generator.generateSampled(prompts, settings, seeds);

            for (int i = 0; i < prompts.size(); i++) {
                List<int[]> alone = generator.generateSampled(List.of(prompts.get(i)), settings, new long[] {seeds[i]});
                assertThat(batched.get(i)).as("row %d alone", i).containsExactly(alone.get(0));
            }
            // Reversed order: each row keeps its completion.
            List<int[]> reversedPrompts = new ArrayList<>(prompts);
            java.util.Collections.reverse(reversedPrompts);
            List<int[]> reversed = generator.generateSampled(
                    reversedPrompts,
                    settings,
                    java.util.stream.LongStream.range(0, seeds.length)
                            .map(i -> seeds[seeds.length - 1 - (int) i])
                            .toArray());
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(reversed.get(prompts.size() - 1 - i)).containsExactly(batched.get(i));
            }
            // The same prompt with other seeds gives other completions.
            List<int[]> samePrompt = generator.generateSampled(
                    java.util.Collections.nCopies(6, prompts.get(0)), settings, new long[] {1, 2, 3, 4, 5, 6});
            assertThat(samePrompt.stream()
                            .map(java.util.Arrays::toString)
                            .distinct()
                            .count())
                    .isGreaterThan(1);
        }
    }
}
