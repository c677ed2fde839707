package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.SftObjective;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.testing.PythonReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loss, NLL and logits of random Llama and Qwen2 checkpoints against the independent PyTorch
 * implementation in hf_reference.py (float64), over a padded batch of examples of different lengths.
 */
class CausalLmReferenceTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} tied={1} llamaBias={2} dtype={3}")
    @CsvSource({"llama,false,false,f32", "llama,true,true,f32", "qwen2,false,false,f32", "qwen2,true,false,bf16"})
    void matchesIndependentReference(String arch, boolean tied, boolean llamaBias, String dtype) {
        PythonReference.makeRandom(arch, dir, 11, dtype, tied, 1, llamaBias);
        List<TrainingExample> examples = randomExamples(new Random(5), 97);
        List<PythonReference.Example> asReference = new ArrayList<>();
        for (TrainingExample e : examples) {
            asReference.add(new PythonReference.Example(e.inputIds(), e.completionMask()));
        }
        JsonNode expected = PythonReference.score(dir, asReference);

        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelDirectory.load(dir, root)) {
            ResponseLoss loss = new ResponseLoss(7);
            Batch batch = Batch.of(examples, 0);
            TokenStats sft = loss.score(model, batch, new SftObjective());
            TokenStats dft = loss.score(model, batch, new DftObjective());

            assertThat(sft.tokens()).isEqualTo(expected.get("tokens").asLong());
            assertThat(sft.nll()).isCloseTo(expected.get("nll").asDouble(), within(2e-5));
            assertThat(sft.objectiveLoss()).isCloseTo(expected.get("nll").asDouble(), within(2e-5));
            assertThat(dft.objectiveLoss()).isCloseTo(expected.get("dft_loss").asDouble(), within(2e-5));
            assertThat(dft.meanTargetProbability())
                    .isCloseTo(expected.get("mean_target_prob").asDouble(), within(2e-6));
            assertThat(dft.lowProbabilityRatio())
                    .isEqualTo(expected.get("low_prob_ratio").asDouble());

            JsonNode referenceLogits = expected.get("logits_example0");
            try (NDManager scope = root.newSubManager()) {
                NDArray ids = scope.create(new int[][] {examples.get(0).inputIds()});
                float[] logits = model.logits(model.hiddenStates(ids)).toFloatArray();
                int vocab = model.config().vocabSize();
                double worst = 0;
                for (int t = 0; t < referenceLogits.size(); t++) {
                    for (int v = 0; v < vocab; v++) {
                        worst = Math.max(
                                worst,
                                Math.abs(logits[t * vocab + v]
                                        - referenceLogits.get(t).get(v).asDouble()));
                    }
                }
                assertThat(worst).as("max |logit difference|").isLessThan(1e-4);
            }
        }
    }

    /** Examples of different lengths (so the batch is padded), each with a prompt and a response. */
    static List<TrainingExample> randomExamples(Random random, int vocab) {
        List<TrainingExample> examples = new ArrayList<>();
        int[] lengths = {19, 7, 13};
        for (int length : lengths) {
            int[] ids = new int[length];
            int[] mask = new int[length];
            int promptLength = 2 + random.nextInt(length / 2);
            for (int t = 0; t < length; t++) {
                ids[t] = 3 + random.nextInt(vocab - 3);
                mask[t] = t >= promptLength ? 1 : 0;
            }
            examples.add(new TrainingExample(ids, mask, null, null));
        }
        return examples;
    }
}
