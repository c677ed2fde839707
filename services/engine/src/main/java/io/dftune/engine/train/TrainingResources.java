package io.dftune.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.DatasetOptions;
import io.dftune.engine.data.LoadedDataset;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ComputePrecision;
import io.dftune.engine.model.LoraAdapter;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.DataSpec;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        ComputePrecision precision = ComputePrecision.of(
                spec.getTraining().getPrecision(), Engine.getInstance().defaultDevice());
        ModelTokenizer tokenizer = ModelTokenizer.load(modelPath);
        CausalLm model = null;
        try {
            DataSpec data = spec.getData();
            LoadedDataset train =
                    DatasetLoader.load(Path.of(data.getTrain()), tokenizer, maxLength, DatasetOptions.train(data));
            Optional<LoadedDataset> eval = Optional.ofNullable(data.getEval())
                    .map(file -> DatasetLoader.load(Path.of(file), tokenizer, maxLength, DatasetOptions.eval(data)));
            CheckpointStore checkpoints =
                    new CheckpointStore(RunDirectory.of(spec.getOutput().getPath()), 1);
            checkpoints.removeStaleTemporaries();
            TrainedWeights weights = spec.getAdapter().isLora()
                    ? adapterOnBase(spec, modelPath, checkpoints, precision, parent)
                    : fullModel(modelPath, checkpoints, parent);
            model = weights.model();
            model.computeInBfloat16(precision.bfloat16Matmuls());
            // The anchor is the start model, also when resuming from a checkpoint: under an
            // adapter that is the base itself, with no second copy.
            Optional<CausalLm> reference = Optional.empty();
            if (withReference) {
                reference = Optional.of(
                        model.adapter().isPresent() ? model.withoutAdapter() : frozen(modelPath, precision, parent));
            }
            return new TrainingResources(model, tokenizer, train, eval, weights.resumedFrom(), reference);
        } catch (RuntimeException e) {
            if (model != null) {
                model.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    private record TrainedWeights(CausalLm model, Optional<CheckpointStore.Checkpoint> resumedFrom) {}

    /** The newest checkpoint that loads, else the base model. */
    private static TrainedWeights fullModel(Path modelPath, CheckpointStore checkpoints, NDManager parent) {
        for (CheckpointStore.Checkpoint checkpoint : checkpoints.list()) {
            try {
                checkpoints.verifyOptimizerState(checkpoint);
                return new TrainedWeights(ModelDirectory.load(checkpoint.directory(), parent), Optional.of(checkpoint));
            } catch (RuntimeException e) {
                LOG.warning("skipping unreadable checkpoint " + checkpoint.directory() + ": " + e.getMessage());
            }
        }
        return new TrainedWeights(ModelDirectory.load(modelPath, parent), Optional.empty());
    }

    /**
     * The base model, frozen (in bfloat16 under bf16), with the adapter of the newest checkpoint that
     * loads, else the one at {@code spec.adapter.path} to continue, else a new one.
     */
    private static TrainedWeights adapterOnBase(
            FineTuneJobSpec spec,
            Path modelPath,
            CheckpointStore checkpoints,
            ComputePrecision precision,
            NDManager parent) {
        CausalLm base = ModelDirectory.load(modelPath, parent, precision.bfloat16FrozenWeights());
        try {
            for (CheckpointStore.Checkpoint checkpoint : checkpoints.list()) {
                try {
                    checkpoints.verifyOptimizerState(checkpoint);
                    base.attachAdapter(
                            LoraAdapter.load(checkpoint.directory(), base.config(), spec.getAdapter(), parent));
                    return new TrainedWeights(base, Optional.of(checkpoint));
                } catch (IOException | RuntimeException e) {
                    LOG.warning("skipping unreadable checkpoint " + checkpoint.directory() + ": " + e.getMessage());
                }
            }
            String continued = spec.getAdapter().getPath();
            base.attachAdapter(
                    continued != null
                            ? LoraAdapter.load(Path.of(continued), base.config(), spec.getAdapter(), parent)
                            : LoraAdapter.initialize(
                                    base.config(),
                                    spec.getAdapter(),
                                    parent,
                                    spec.getTraining().getSeed()));
            return new TrainedWeights(base, Optional.empty());
        } catch (IOException e) {
            base.close();
            throw new UncheckedIOException("spec.adapter.path: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    private static CausalLm frozen(Path modelPath, ComputePrecision precision, NDManager parent) {
        CausalLm reference = ModelDirectory.load(modelPath, parent, precision.bfloat16FrozenWeights());
        reference.setTrainable(false);
        reference.computeInBfloat16(precision.bfloat16Matmuls());
        return reference;
    }

    @Override
    public void close() {
        reference.ifPresent(CausalLm::close);
        model.close();
        tokenizer.close();
    }
}
