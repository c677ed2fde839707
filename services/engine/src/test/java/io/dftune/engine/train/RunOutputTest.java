package io.dftune.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.io.SafetensorsDType;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.TensorInfo;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.CompanionFiles;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.model.ModelWeights;
import io.dftune.engine.testing.TinyJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.FineTuneJobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a bfloat16 base with output.dtype auto and a small output.maxShardSize: the final model
 * comes back in bfloat16 shards, checkpoints in float32 shards, all with the base's companions.
 */
class RunOutputTest {
    @TempDir
    Path dir;

    @Test
    void finalModelInTheBasesTypeAndShardsCheckpointsInFloat32BothWithTheCompanions() throws Exception {
        TinyJob.writeModelAndData(dir);
        Path base = dir.resolve("model");
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelDirectory.load(base, root)) {
            ModelWeights.save(base, model.config(), model.parameters(), SafetensorsDType.BF16);
        }
        Files.writeString(base.resolve("chat_template.jinja"), "{% for m in messages %}{{ m.content }}{% endfor %}");
        Files.writeString(base.resolve("generation_config.json"), "{\"do_sample\": false}\n");
        Files.write(base.resolve("tokenizer.model"), new byte[] {10, 20, 30});
        Files.writeString(base.resolve("README.md"), "the base's model card");
        List<String> companions = CompanionFiles.in(base);
        assertThat(companions).contains("chat_template.jinja", "tokenizer.model", "tokenizer.json");

        // output.dtype stays auto; the manifest's output path gets a small maxShardSize beside it
        String yaml = TinyJob.manifest("t", "out, maxShardSize: 30KB", 2, 1);
        FineTuneJobSpec spec = FineTuneJobFiles.parse(yaml, dir).getSpec();
        RunResult result;
        try (LaunchedRun run = new RunLauncher(16).prepare(spec)) {
            result = run.run(TrainingListener.NONE);
        }
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        Path finalModel = dir.resolve("out/final");
        Path checkpoint = dir.resolve("out/checkpoints/step-2");
        assertShardedIn(finalModel, SafetensorsDType.BF16);
        assertShardedIn(checkpoint, SafetensorsDType.F32);
        assertThat(ModelConfig.read(finalModel).torchDtype()).isEqualTo("bfloat16");
        assertThat(ModelConfig.read(checkpoint).torchDtype()).isEqualTo("float32");
        for (Path saved : List.of(finalModel, checkpoint)) {
            assertThat(CompanionFiles.in(saved)).as(saved.toString()).isEqualTo(companions);
            assertThat(saved.resolve("tokenizer.model")).hasBinaryContent(new byte[] {10, 20, 30});
            assertThat(saved.resolve("README.md")).doesNotExist();
        }
        try (NDManager root = NDManager.newBaseManager();
                CausalLm reloaded = ModelDirectory.load(finalModel, root)) {
            assertThat(reloaded.config().numHiddenLayers()).isEqualTo(2);
        }
    }

    private static void assertShardedIn(Path modelDir, SafetensorsDType dtype) throws Exception {
        assertThat(modelDir.resolve(SafetensorsReader.INDEX_FILE))
                .as(modelDir.toString())
                .isRegularFile();
        assertThat(modelDir.resolve(SafetensorsReader.SINGLE_FILE)).doesNotExist();
        assertThat(SafetensorsReader.describe(modelDir).values())
                .extracting(TensorInfo::dtype)
                .containsOnly(dtype);
        try (var files = Files.list(modelDir)) {
            assertThat(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")))
                    .hasSizeGreaterThan(1);
        }
    }
}
