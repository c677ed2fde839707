package io.dftune.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.LoadedDataset;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.nd.TorchCasts;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.EvalSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled example's model evaluated with its weights stored in bfloat16 scores within 1% NLL
 * of float32, both where matmuls compute in float32 (this CPU) and where they compute in bfloat16
 * (devices that do it fast).
 */
class Bfloat16EvalTest {
    private static final Path EXAMPLE = Path.of("../../examples/arithmetic");
    private static EvalMetrics float32;

    @BeforeAll
    static void float32Baseline() {
        float32 = evaluate(false, false);
    }

    @Test
    void weightsStoredInBfloat16ScoreWithinOnePercent() {
        EvalMetrics bf16 = evaluate(true, false);
        assertThat(bf16.tokens()).isEqualTo(float32.tokens());
        assertThat(bf16.nll()).isCloseTo(float32.nll(), within(0.01 * float32.nll()));
        assertThat(bf16.nll()).as("the weights were rounded").isNotEqualTo(float32.nll());
    }

    @Test
    void bfloat16MatmulsScoreWithinOnePercent() {
        EvalMetrics bf16 = evaluate(true, true);
        assertThat(bf16.nll()).isCloseTo(float32.nll(), within(0.01 * float32.nll()));
        assertThat(bf16.nll()).isNotEqualTo(evaluate(true, false).nll());
    }

    private static EvalMetrics evaluate(boolean storeBfloat16, boolean computeBfloat16) {
        try (NDManager root = EngineStartup.newBaseManager();
                ModelTokenizer tokenizer = ModelTokenizer.load(EXAMPLE.resolve("model"));
                CausalLm model = ModelDirectory.load(EXAMPLE.resolve("model"), root, storeBfloat16)) {
            assertThat(TorchCasts.isBfloat16(model.lmHeadWeight())).isEqualTo(storeBfloat16);
            model.computeInBfloat16(computeBfloat16);
            LoadedDataset eval = DatasetLoader.load(EXAMPLE.resolve("eval.jsonl"), tokenizer, 128);
            EvalSpec greedyOneToken = new EvalSpec();
            greedyOneToken.setMaxNewTokens(1);
            Evaluator evaluator = new Evaluator(
                    new ResponseLoss(ResponseLoss.DEFAULT_CHUNK_TOKENS), tokenizer, 16, 0, greedyOneToken, "####");
            return evaluator.evaluate(model, eval.examples(), 0);
        }
    }
}
