package io.dftune.engine.train;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.DatasetOptions;
import io.dftune.engine.data.LoadedDataset;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.DataSpec;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.run.RunDirectory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Everything a run reads before its first step: the model (from the newest checkpoint that
 * loads, else from {@code spec.model.path}), the tokenizer, the data sets and, for objectives
 * that anchor to the start model, that model frozen as {@code reference}.
 */
public record TrainingResources(
        CausalLm model,
        ModelTokenizer tokenizer,
        LoadedDataset train,
        Optional<LoadedDataset> eval,
        Optional<CheckpointStore.Checkpoint> resumedFrom,
        Optional<CausalLm> reference)
        implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrainingResources.class.getName());

    /** @param withReference also load the start model, frozen, as {@code reference} */
    static TrainingResources open(FineTuneJobSpec spec, boolean withReference, NDManager parent) {
        Path modelPath = Path.of(spec.getModel().getPath());
        int maxLength = spec.getTraining().getMaxLength();
        ModelTokenizer tokenizer = ModelTokenizer.load(modelPath);
        CausalLm model = null;
        try {
            DataSpec data = spec.getData();
            LoadedDataset train =
                    DatasetLoader.load(Path.of(data.getTrain()), tokenizer, maxLength, DatasetOptions.train(data));
            Optional<LoadedDataset> eval = Optional.ofNullable(data.getEval())
                    .map(file -> DatasetLoader.load(Path.of(file), tokenizer, maxLength, DatasetOptions.eval(data)));
            Optional<CheckpointStore.Checkpoint> resumedFrom = Optional.empty();
            CheckpointStore checkpoints =
                    new CheckpointStore(RunDirectory.of(spec.getOutput().getPath()), 1);
            checkpoints.removeStaleTemporaries();
            for (CheckpointStore.Checkpoint checkpoint : checkpoints.list()) {
                try {
                    checkpoints.verifyOptimizerState(checkpoint);
                    model = ModelDirectory.load(checkpoint.directory(), parent);
                    resumedFrom = Optional.of(checkpoint);
                    break;
                } catch (RuntimeException e) {
                    LOG.warning("skipping unreadable checkpoint " + checkpoint.directory() + ": " + e.getMessage());
                }
            }
            if (model == null) {
                model = ModelDirectory.load(modelPath, parent);
            }
            // The anchor is the start model, also when resuming from a checkpoint.
            Optional<CausalLm> reference = withReference ? Optional.of(frozen(modelPath, parent)) : Optional.empty();
            return new TrainingResources(model, tokenizer, train, eval, resumedFrom, reference);
        } catch (RuntimeException e) {
            if (model != null) {
                model.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    private static CausalLm frozen(Path modelPath, NDManager parent) {
        CausalLm reference = ModelDirectory.load(modelPath, parent);
        reference.setTrainable(false);
        return reference;
    }

    @Override
    public void close() {
        reference.ifPresent(CausalLm::close);
        model.close();
        tokenizer.close();
    }
}
