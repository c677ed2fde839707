package io.dftune.engine.train;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.JsonlDataset;
import io.dftune.engine.data.LoadedDataset;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.FineTuneJobSpec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Everything a run reads before its first step: the model (from the newest checkpoint that
 * loads, else from {@code spec.model.path}), the tokenizer and the data sets.
 */
public record TrainingResources(
        CausalLm model,
        ModelTokenizer tokenizer,
        LoadedDataset train,
        Optional<LoadedDataset> eval,
        Optional<CheckpointStore.Checkpoint> resumedFrom) implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrainingResources.class.getName());

    public static TrainingResources open(FineTuneJobSpec spec, NDManager parent) {
        Path modelPath = Path.of(spec.getModel().getPath());
        int maxLength = spec.getTraining().getMaxLength();
        ModelTokenizer tokenizer = ModelTokenizer.load(modelPath);
        try {
            LoadedDataset train = JsonlDataset.load(Path.of(spec.getData().getTrain()), tokenizer, maxLength);
            Optional<LoadedDataset> eval = Optional.ofNullable(spec.getData().getEval())
                    .map(file -> JsonlDataset.load(Path.of(file), tokenizer, maxLength));
            CheckpointStore checkpoints = new CheckpointStore(Path.of(spec.getOutput().getPath()), 1);
            for (CheckpointStore.Checkpoint checkpoint : checkpoints.list()) {
                try {
                    CausalLm model = ModelDirectory.load(checkpoint.directory(), parent);
                    return new TrainingResources(model, tokenizer, train, eval, Optional.of(checkpoint));
                } catch (RuntimeException e) {
                    LOG.warning("skipping unreadable checkpoint " + checkpoint.directory() + ": " + e.getMessage());
                }
            }
            CausalLm model = ModelDirectory.load(modelPath, parent);
            return new TrainingResources(model, tokenizer, train, eval, Optional.empty());
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
