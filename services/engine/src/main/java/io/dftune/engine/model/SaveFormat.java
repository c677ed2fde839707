package io.dftune.engine.model;

import io.dftune.engine.io.SafetensorsDType;
import io.dftune.spec.ByteSizes;
import io.dftune.spec.OutputSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * How a model directory's weights are written: their element type, and the size above which
 * they are split into shards.
 */
public record SaveFormat(SafetensorsDType dtype, long maxShardBytes) {
    /** float32 in shards of at most Hugging Face's default 5GB. */
    public static final SaveFormat FLOAT32 =
            new SaveFormat(SafetensorsDType.F32, ByteSizes.parse(OutputSpec.DEFAULT_MAX_SHARD_SIZE));

    public SaveFormat {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
    }

    /**
     * Checkpoints: float32 whatever {@code output.dtype} says, so that a resumed run continues from
     * exactly the weights it stopped with; sharded as {@code output.maxShardSize} says.
     */
    public static SaveFormat checkpoint(OutputSpec output) {
        return new SaveFormat(SafetensorsDType.F32, output.maxShardBytes());
    }

    /** The final model: {@code output.dtype}, where {@code auto} is the type the base model's weights are stored in. */
    public static SaveFormat finalModel(OutputSpec output, Path baseModel) {
        SafetensorsDType dtype =
                switch (output.getDtype()) {
                    case FLOAT32 -> SafetensorsDType.F32;
                    case BFLOAT16 -> SafetensorsDType.BF16;
                    case AUTO -> storedDtype(baseModel);
                };
        return new SaveFormat(dtype, output.maxShardBytes());
    }

    private static SafetensorsDType storedDtype(Path baseModel) {
        try {
            return ModelWeights.storedDtype(baseModel);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
