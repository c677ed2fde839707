package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.AdapterType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAdapterTest {
    private static final ModelConfig CONFIG = ModelConfig.qwen2(50, 16, 24, 2, 4, 2);

    @TempDir
    Path dir;

    private static AdapterSpec lora(int rank, double alpha, List<String> modules) {
        AdapterSpec spec = new AdapterSpec();
        spec.setType(AdapterType.LORA);
        spec.setRank(rank);
        spec.setAlpha(alpha);
        spec.setTargetModules(modules);
        return spec;
    }

    @Test
    void aNewAdapterCoversTheTargetedLayersAndStartsAsTheBaseModel() {
        try (NDManager m = NDManager.newBaseManager();
                LoraAdapter adapter = LoraAdapter.initialize(CONFIG, lora(4, 8, null), m, 7)) {
            Map<String, NDArray> p = adapter.parameters();
            assertThat(p).hasSize(2 * 2 * 7);
            NDArray a = p.get("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight");
            NDArray b = p.get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
            assertThat(a.getShape()).isEqualTo(new Shape(4, 24));
            assertThat(b.getShape()).isEqualTo(new Shape(16, 4));
            assertThat(b.abs().max().getFloat()).isZero();
            float bound = (float) (1 / Math.sqrt(24));
            assertThat(a.abs().max().getFloat()).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
            assertThat(p.get("base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight")
                            .getShape())
                    .isEqualTo(new Shape(8, 4));
            assertThat(adapter.scaling()).isEqualTo(2.0);
            NDArray x = m.randomNormal(new Shape(3, 16));
            assertThat(adapter.delta(x, "model.layers.0.self_attn.q_proj", true)
                            .abs()
                            .max()
                            .getFloat())
                    .isZero();
        }
    }

    /**
     * With A = [I 0] and B = [I; 0] the first r outputs are the scaled, thinned first r inputs, so
     * the masks can be read off: each value is 0 or (alpha / r) / (1 - p), about p of them 0, and
     * two layers fed the same input draw different masks, as PEFT's per-layer dropout does.
     */
    @Test
    void dropoutThinsEachAdaptedInputWithItsOwnMaskAndRescalesWhatItKeeps() {
        int rank = 4;
        double p = 0.2;
        AdapterSpec spec = lora(rank, 8, List.of("q_proj", "k_proj"));
        spec.setDropout(p);
        try (NDManager m = NDManager.newBaseManager();
                LoraAdapter adapter = LoraAdapter.initialize(CONFIG, spec, m, 3)) {
            Map<String, NDArray> tensors = adapter.parameters();
            for (String module : List.of("q_proj", "k_proj")) {
                String prefix = "base_model.model.model.layers.0.self_attn." + module;
                tensors.get(prefix + ".lora_A.weight").set(identityBlock(tensors.get(prefix + ".lora_A.weight")));
                tensors.get(prefix + ".lora_B.weight").set(identityBlock(tensors.get(prefix + ".lora_B.weight")));
            }
            NDArray x = m.ones(new Shape(20_000, 16));
            float[] q = adapter.delta(x, "model.layers.0.self_attn.q_proj", true)
                    .get(":, :" + rank)
                    .toFloatArray();
            float[] k = adapter.delta(x, "model.layers.0.self_attn.k_proj", true)
                    .get(":, :" + rank)
                    .toFloatArray();
            double kept = adapter.scaling() / (1 - p);
            int dropped = 0;
            int agreeing = 0;
            for (int i = 0; i < q.length; i++) {
                assertThat(q[i] == 0 || Math.abs(q[i] - kept) < 1e-5)
                        .as("output %d is %f: dropped or rescaled", i, q[i])
                        .isTrue();
                dropped += q[i] == 0 ? 1 : 0;
                agreeing += (q[i] == 0) == (k[i] == 0) ? 1 : 0;
            }
            // 80,000 draws: the dropped share's standard deviation is 0.0014
            assertThat((double) dropped / q.length).isCloseTo(p, within(0.01));
            // independent masks agree on (1 - p)^2 + p^2 = 0.68 of the places; one mask on all
            assertThat((double) agreeing / q.length).isCloseTo(0.68, within(0.02));
            assertThat(adapter.delta(x, "model.layers.0.self_attn.q_proj", false)
                            .get(":, :" + rank)
                            .toFloatArray())
                    .as("no dropout outside training")
                    .containsOnly((float) adapter.scaling());
        }
    }

    /** The tensor's shape filled with an identity block in its top-left corner and zeros elsewhere. */
    private static float[] identityBlock(NDArray tensor) {
        int rows = Math.toIntExact(tensor.getShape().get(0));
        int columns = Math.toIntExact(tensor.getShape().get(1));
        float[] values = new float[rows * columns];
        for (int i = 0; i < Math.min(rows, columns); i++) {
            values[i * columns + i] = 1;
        }
        return values;
    }

    @Test
    void savesAsPeftNamesItAndLoadsBack() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
                LoraAdapter adapter = LoraAdapter.initialize(CONFIG, lora(4, 8, List.of("q_proj", "v_proj")), m, 1)) {
            adapter.parameters().values().forEach(t -> t.addi(m.randomNormal(t.getShape())));
            adapter.save(dir, "/models/qwen");

            JsonNode config = new ObjectMapper()
                    .readTree(dir.resolve("adapter_config.json").toFile());
            assertThat(config.get("peft_type").asText()).isEqualTo("LORA");
            assertThat(config.get("task_type").asText()).isEqualTo("CAUSAL_LM");
            assertThat(config.get("r").asInt()).isEqualTo(4);
            assertThat(config.get("lora_alpha").asDouble()).isEqualTo(8);
            assertThat(config.get("bias").asText()).isEqualTo("none");
            assertThat(config.get("base_model_name_or_path").asText()).isEqualTo("/models/qwen");
            assertThat(config.get("target_modules").toString()).isEqualTo("[\"q_proj\",\"v_proj\"]");
            assertThat(SafetensorsReader.describe(dir.resolve("adapter_model.safetensors"))
                            .keySet())
                    .containsExactlyInAnyOrderElementsOf(adapter.parameters().keySet());

            try (LoraAdapter loaded = LoraAdapter.load(dir, CONFIG, lora(4, 8, List.of("v_proj", "q_proj")), m)) {
                for (Map.Entry<String, NDArray> e : adapter.parameters().entrySet()) {
                    assertThat(loaded.parameters().get(e.getKey()).toFloatArray())
                            .as(e.getKey())
                            .containsExactly(e.getValue().toFloatArray());
                }
            }
            assertThatThrownBy(() -> LoraAdapter.load(dir, CONFIG, lora(8, 8, List.of("q_proj", "v_proj")), m))
                    .isInstanceOf(ModelWeightsException.class)
                    .hasMessageContaining("r is 4 but spec.adapter.rank is 8");
            assertThatThrownBy(() -> LoraAdapter.load(dir, ModelConfig.qwen2(50, 32, 24, 2, 4, 2), null, m))
                    .isInstanceOf(ModelWeightsException.class)
                    .hasMessageContaining("has shape");
        }
    }

    @Test
    void mergingAddsTheScaledLowRankProductToEachWeight() {
        try (NDManager m = NDManager.newBaseManager();
                LoraAdapter adapter = LoraAdapter.initialize(CONFIG, lora(2, 6, List.of("o_proj")), m, 3)) {
            adapter.parameters().values().forEach(t -> t.addi(m.randomNormal(t.getShape())));
            String module = "model.layers.1.self_attn.o_proj";
            Map<String, NDArray> weights = new LinkedHashMap<>();
            NDArray w = m.randomNormal(new Shape(16, 16));
            weights.put(module + ".weight", w);
            float[] before = w.toFloatArray();
            float[] a = adapter.parameters()
                    .get("base_model.model." + module + ".lora_A.weight")
                    .toFloatArray();
            float[] b = adapter.parameters()
                    .get("base_model.model." + module + ".lora_B.weight")
                    .toFloatArray();

            float[] merged = adapter.mergedWeight(module, w).toFloatArray();
            assertThat(adapter.targets()).hasSize(2).contains(module);

            for (int out = 0; out < 16; out++) {
                for (int in = 0; in < 16; in++) {
                    double update = 0;
                    for (int r = 0; r < 2; r++) {
                        update += b[out * 2 + r] * a[r * 16 + in];
                    }
                    assertThat(merged[out * 16 + in])
                            .isCloseTo((float) (before[out * 16 + in] + 3 * update), within(1e-5f));
                }
            }
        }
    }

    @Test
    void theDeltaIsTheScaledLowRankProductOfTheInput() {
        Random random = new Random(2);
        try (NDManager m = NDManager.newBaseManager();
                LoraAdapter adapter = LoraAdapter.initialize(CONFIG, lora(3, 3, List.of("up_proj")), m, 5)) {
            adapter.parameters().values().forEach(t -> t.addi(m.randomNormal(t.getShape())));
            String module = "model.layers.0.mlp.up_proj";
            float[] a = adapter.parameters()
                    .get("base_model.model." + module + ".lora_A.weight")
                    .toFloatArray();
            float[] b = adapter.parameters()
                    .get("base_model.model." + module + ".lora_B.weight")
                    .toFloatArray();
            float[] x = new float[16];
            for (int i = 0; i < 16; i++) {
                x[i] = (float) random.nextGaussian();
            }
            float[] delta =
                    adapter.delta(m.create(x, new Shape(1, 16)), module, false).toFloatArray();
            assertThat(delta).hasSize(24);
            for (int out = 0; out < 24; out++) {
                double sum = 0;
                for (int r = 0; r < 3; r++) {
                    double ax = 0;
                    for (int in = 0; in < 16; in++) {
                        ax += a[r * 16 + in] * x[in];
                    }
                    sum += b[out * 3 + r] * ax;
                }
                assertThat(delta[out]).isCloseTo((float) sum, within(1e-4f));
            }
        }
    }
}
