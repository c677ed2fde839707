package io.dftune.engine.testing;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.engine.tokenizer.ByteLevelTokenizerFiles;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny Llama-layout model, data sets and FineTuneJob manifests in a folder, fast enough to train in tests. */
public final class TinyJob {
    public static final String PROMPT = "add 3 and 4";

    private TinyJob() {}

    /** Writes {@code model/}, {@code train.jsonl} and {@code eval.jsonl} into {@code dir}. */
    public static void writeModelAndData(Path dir) {
        try {
            Path model = dir.resolve("model");
            ByteLevelTokenizerFiles.Written tokenizer = TokenizerFixtures.chatml(model);
            try (NDManager root = NDManager.newBaseManager();
                    CausalLm lm = ModelInitializer.initialize(
                            ModelConfig.llama(tokenizer.vocabSize(), 32, 64, 2, 4, 2), root, 1, 0.05)) {
                ModelDirectory.save(lm, model, model);
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String answer = String.valueOf(i + i % 7);
                lines.add("{\"prompt\": \"add " + i + " and " + (i % 7) + "\", \"response\": \"" + answer
                        + "\", \"answer\": \"" + answer + "\"}");
            }
            Files.write(dir.resolve("train.jsonl"), lines, StandardCharsets.UTF_8);
            Files.write(dir.resolve("eval.jsonl"), lines.subList(0, 4), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A manifest whose paths are relative to the folder of {@link #writeModelAndData}, writing to
     * {@code output} (relative too, or absolute).
     */
    public static String manifest(String name, String output, int maxSteps, int checkpointEverySteps) {
        return """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                metadata: {name: %s, namespace: tests}
                spec:
                  model: {path: model}
                  data: {train: train.jsonl, eval: eval.jsonl}
                  objective: {type: dft}
                  training: {maxSteps: %d, batchSize: 4, microBatchSize: 2, maxLength: 64, learningRate: 1.0e-2,
                             evalMaxExamples: 2}
                  eval: {maxNewTokens: 4}
                  checkpoint: {everySteps: %d, keep: 3}
                  output: {path: %s}
                """
                .formatted(name, maxSteps, checkpointEverySteps, output);
    }

    /** Writes a manifest file next to the model and data. */
    public static Path writeManifest(Path dir, String fileName, String manifest) {
        try {
            return Files.writeString(dir.resolve(fileName), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
