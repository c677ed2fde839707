package io.dftune.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.model.LoraAdapter;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.testing.TinyJob;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.AdapterType;
import io.dftune.spec.run.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dftune eval} and {@code generate} take a PEFT adapter directory with its base. */
class AdapterDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void evalScoresTheBaseWithTheAdapter() throws Exception {
        TinyJob.writeModelAndData(dir);
        Path base = dir.resolve("model");
        Path adapter = Files.createDirectories(dir.resolve("adapter"));
        AdapterSpec spec = new AdapterSpec();
        spec.setType(AdapterType.LORA);
        spec.setRank(4);
        try (NDManager m = NDManager.newBaseManager();
                LoraAdapter lora = LoraAdapter.initialize(ModelConfig.read(base), spec, m, 2)) {
            for (NDArray t : lora.parameters().values()) {
                t.addi(m.randomNormal(t.getShape()));
            }
            lora.save(adapter, base.toString());
        }
        Files.copy(base.resolve("tokenizer.json"), adapter.resolve("tokenizer.json"));
        Files.copy(base.resolve("tokenizer_config.json"), adapter.resolve("tokenizer_config.json"));
        String data = dir.resolve("eval.jsonl").toString();

        JsonNode plain = lastJson(CliRun.of("eval", "--model", base.toString(), "--data", data));
        JsonNode adapted = lastJson(CliRun.of("eval", "--model", adapter.toString(), "--data", data));
        JsonNode explicit =
                lastJson(CliRun.of("eval", "--model", adapter.toString(), "--base", base.toString(), "--data", data));
        assertThat(adapted.get("nll").asDouble()).isNotEqualTo(plain.get("nll").asDouble());
        assertThat(explicit.get("nll").asDouble()).isEqualTo(adapted.get("nll").asDouble());

        CliRun generated = CliRun.of(
                "generate", "--model", adapter.toString(), "--prompt", TinyJob.PROMPT, "--max-new-tokens", "3");
        assertThat(generated.exitCode()).as(generated.err()).isZero();

        CliRun lost = CliRun.of(
                "eval",
                "--model",
                adapter.toString(),
                "--base",
                dir.resolve("gone").toString(),
                "--data",
                data);
        assertThat(lost.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(lost.err()).contains("is not a directory here; name it with --base DIR");
    }

    private static JsonNode lastJson(CliRun run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.lastOutLine());
    }
}
