package io.dftune.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.SafetensorsWriter;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.model.SaveFormat;
import io.dftune.engine.optim.AdamW;
import io.dftune.spec.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints under {@code <output>/checkpoints/step-N/}: a complete Hugging Face model directory
 * plus {@code optimizer.safetensors} and {@code trainer_state.json}. Each is written atomically,
 * and only the newest {@code keep} are kept, so a crash never damages the newest good one.
 */
public final class CheckpointStore {
    static final String STATE_FILE = "trainer_state.json";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private final RunDirectory run;
    private final int keep;
    private final SaveFormat format;
    private final ObjectMapper json = new ObjectMapper();

    /** A store that reads checkpoints, and writes them in float32 sharded above 5GB. */
    public CheckpointStore(RunDirectory run, int keep) {
        this(run, keep, SaveFormat.FLOAT32);
    }

    /** Writes the model's weights in {@code format} (float32 keeps resuming exact; see {@link SaveFormat#checkpoint}). */
    public CheckpointStore(RunDirectory run, int keep, SaveFormat format) {
        this.run = run;
        this.keep = keep;
        this.format = format;
    }

    /**
     * Writes {@code checkpoints/step-N/} atomically and prunes older checkpoints beyond {@code keep}.
     *
     * @throws CheckpointWriteException it could not be written (nothing of it is left behind)
     */
    public Path save(CausalLm model, Path companionSource, AdamW optimizer, TrainerState state) {
        Path target = run.checkpoint(state.step());
        Map<String, NDArray> optimizerState = optimizer.state();
        try {
            AtomicDirectory.write(target, dir -> {
                ModelDirectory.save(model, companionSource, dir, format);
                SafetensorsWriter.write(dir.resolve(OPTIMIZER_FILE), optimizerState);
                json.writerWithDefaultPrettyPrinter()
                        .writeValue(dir.resolve(STATE_FILE).toFile(), state);
            });
        } catch (UncheckedIOException e) {
            long needed = bytes(model.parameters().values()) + bytes(optimizerState.values());
            throw new CheckpointWriteException(
                    e.getMessage() + StorageSpace.shortfall(e.getCause(), needed, run.checkpoints()) + newestKept(), e);
        }
        prune();
        return target;
    }

    /**
     * Removes what a crashed run left half-written: hidden temporary checkpoint folders and a
     * temporary {@code final/}. Called before a run starts; complete checkpoints are kept.
     */
    public void removeStaleTemporaries() {
        List<Path> stale = new ArrayList<>();
        stale.add(AtomicDirectory.temporary(run.finalModel()));
        if (Files.isDirectory(run.checkpoints())) {
            try (Stream<Path> children = Files.list(run.checkpoints())) {
                children.filter(AtomicDirectory::isTemporary).forEach(stale::add);
            } catch (IOException e) {
                throw new UncheckedIOException("could not list " + run.checkpoints() + ": " + e.getMessage(), e);
            }
        }
        for (Path path : stale) {
            try {
                AtomicDirectory.deleteRecursively(path);
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove the stale " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private String newestKept() {
        List<Checkpoint> kept = list();
        return kept.isEmpty()
                ? "; no earlier checkpoint exists"
                : "; the newest good checkpoint, " + kept.get(0).directory().getFileName() + ", is kept";
    }

    private static long bytes(Collection<NDArray> arrays) {
        long total = 0;
        for (NDArray array : arrays) {
            total += array.size() * array.getDataType().getNumOfBytes();
        }
        return total;
    }

    /** Checkpoints that look complete, newest first (loading may still reject one). */
    public List<Checkpoint> list() {
        Path root = run.checkpoints();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Checkpoint> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path dir : (Iterable<Path>) children::iterator) {
                if (RunDirectory.checkpointStep(dir).isPresent() && Files.isRegularFile(dir.resolve(STATE_FILE))) {
                    readState(dir).ifPresent(state -> found.add(new Checkpoint(dir, state)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + root + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparingLong((Checkpoint c) -> c.state().step()).reversed());
        return found;
    }

    /** Checks that the optimizer file is complete (header and data extents), without reading it. */
    public void verifyOptimizerState(Checkpoint checkpoint) {
        try {
            SafetensorsReader.describe(checkpoint.directory().resolve(OPTIMIZER_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Loads the optimizer moments of a checkpoint into {@code optimizer}. */
    public void restoreOptimizer(Checkpoint checkpoint, AdamW optimizer, NDManager scratchParent) {
        try (NDManager scratch = scratchParent.newSubManager()) {
            Map<String, NDArray> state =
                    SafetensorsReader.read(checkpoint.directory().resolve(OPTIMIZER_FILE), scratch);
            optimizer.restore(state, checkpoint.state().step());
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + checkpoint.directory() + ": " + e.getMessage(), e);
        }
    }

    private Optional<TrainerState> readState(Path dir) {
        try {
            return Optional.of(json.readValue(dir.resolve(STATE_FILE).toFile(), TrainerState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void prune() {
        List<Checkpoint> all = list();
        for (int i = keep; i < all.size(); i++) {
            try {
                AtomicDirectory.deleteRecursively(all.get(i).directory());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not remove old checkpoint " + all.get(i).directory(), e);
            }
        }
    }

    /** One checkpoint directory and its recorded state. */
    public record Checkpoint(Path directory, TrainerState state) {}
}
