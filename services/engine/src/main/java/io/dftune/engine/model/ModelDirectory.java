package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Loads a Hugging Face model directory into a {@link CausalLm} and writes one back out. */
public final class ModelDirectory {
    /** Files besides the weights that make a model directory usable on its own. */
    private static final List<String> COMPANION_FILES =
            List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json");

    private ModelDirectory() {}

    /** Loads config and weights; any problem is reported with the file and tensor it concerns. */
    public static CausalLm load(Path directory, NDManager parent) {
        if (!Files.isDirectory(directory)) {
            throw new UncheckedIOException(
                    new NoSuchFileException(directory.toString(), null, "model directory not found: " + directory));
        }
        NDManager manager = parent.newSubManager();
        try {
            ModelConfig config = ModelConfig.read(directory);
            Map<String, NDArray> weights = ModelWeights.load(directory, config, manager);
            return new CausalLm(config, manager, weights);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Writes config, weights (HF names) and the tokenizer files found in {@code companionSource}. */
    public static void save(CausalLm model, Path companionSource, Path target) throws IOException {
        ModelWeights.save(target, model.config(), model.parameters());
        for (String name : COMPANION_FILES) {
            Path source = companionSource.resolve(name);
            if (Files.isRegularFile(source)) {
                Files.copy(source, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
