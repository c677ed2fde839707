package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Loads a Hugging Face model directory into a {@link CausalLm} and writes one back out. */
public final class ModelDirectory {
    private ModelDirectory() {}

    /** Loads config and float32 weights; any problem is reported with the file and tensor it concerns. */
    public static CausalLm load(Path directory, NDManager parent) {
        return load(directory, parent, false);
    }

    /**
     * Loads config and weights, in bfloat16 when {@code bfloat16} (for weights that stay frozen),
     * else float32.
     */
    public static CausalLm load(Path directory, NDManager parent, boolean bfloat16) {
        if (!Files.isDirectory(directory)) {
            throw new UncheckedIOException(
                    new NoSuchFileException(directory.toString(), null, "model directory not found: " + directory));
        }
        NDManager manager = parent.newSubManager();
        try {
            ModelConfig config = ModelConfig.read(directory);
            Map<String, NDArray> weights = ModelWeights.load(directory, config, manager, bfloat16);
            return new CausalLm(config, manager, weights);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A model directory, or a PEFT adapter directory applied to its base: {@code base} when given,
     * else the directory the adapter's {@code base_model_name_or_path} names.
     *
     * @throws UncheckedIOException with the adapter's directory when its base cannot be found
     */
    public static CausalLm loadModelOrAdapter(Path directory, Path base, NDManager parent) {
        if (!LoraAdapter.isAdapterDirectory(directory)) {
            return load(directory, parent);
        }
        Path baseDir;
        try {
            baseDir = base != null ? base : Path.of(LoraAdapter.baseModelOf(directory));
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": " + e.getMessage(), e);
        }
        if (baseDir.toString().isEmpty() || !Files.isDirectory(baseDir)) {
            throw new UncheckedIOException(new NoSuchFileException(
                    directory.toString(),
                    null,
                    "the adapter's base model \"" + baseDir + "\" is not a directory here; name it with --base DIR"));
        }
        CausalLm model = load(baseDir, parent);
        try {
            model.attachAdapter(LoraAdapter.load(directory, model.config(), null, parent));
            return model;
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException(directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** {@link #save(CausalLm, Path, Path, SaveFormat)} in float32, sharded above 5GB. */
    public static void save(CausalLm model, Path companionSource, Path target) throws IOException {
        save(model, companionSource, target, SaveFormat.FLOAT32);
    }

    /**
     * Writes what the model is: with an adapter, a PEFT adapter directory (adapter_config.json
     * naming {@code companionSource}, the base model's directory, and adapter_model.safetensors);
     * else config and weights (HF names, in {@code format}). Either way with every
     * {@link CompanionFiles companion file} (tokenizer, chat template, generation config) found in
     * {@code companionSource}.
     */
    public static void save(CausalLm model, Path companionSource, Path target, SaveFormat format) throws IOException {
        if (model.adapter().isPresent()) {
            model.adapter().get().save(target, companionSource.toString());
        } else {
            ModelWeights.save(target, model.config(), model.parameters(), format);
        }
        CompanionFiles.copy(companionSource, target);
    }
}
