package io.dftune.trainer.service;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.generate.GenerationSettings;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.train.CheckpointStore;
import io.dftune.spec.run.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Completions from a checkpoint on disk, loaded for the request and released after it. */
public final class CheckpointCompletions {
    private CheckpointCompletions() {}

    public static Completion complete(Path outputDir, String name, String prompt, GenerationSettings settings) {
        List<CheckpointStore.Checkpoint> all = new CheckpointStore(new RunDirectory(outputDir), 1).list();
        CheckpointStore.Checkpoint checkpoint = all.stream()
                .filter(c -> c.directory().getFileName().toString().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchCheckpointException("no checkpoint \"" + name + "\"; there are: "
                        + (all.isEmpty()
                                ? "none"
                                : all.stream()
                                        .map(c -> c.directory().getFileName().toString())
                                        .collect(Collectors.joining(", ")))));
        Path dir = checkpoint.directory();
        try (NDManager manager = EngineStartup.newBaseManager();
                ModelTokenizer tokenizer = ModelTokenizer.load(dir);
                CausalLm model = ModelDirectory.loadModelOrAdapter(dir, null, manager)) {
            return Completion.of(model, tokenizer, checkpoint.state().step(), prompt, settings);
        }
    }
}
