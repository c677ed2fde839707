package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where the run writes its checkpoints and final model, and in what form. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputSpec {
    /** Hugging Face's default for {@code save_pretrained(max_shard_size=...)}. */
    public static final String DEFAULT_MAX_SHARD_SIZE = "5GB";

    @Required
    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription("Output directory: a local path or pvc://<claim>/<path>.")
    private String path;

    @Default("auto")
    @JsonPropertyDescription("Element type of the final model's weights: auto (the type the base model's weights are "
            + "stored in), float32 or bfloat16. Checkpoints keep float32 so that resuming is exact.")
    private OutputDtype dtype = OutputDtype.AUTO;

    @Pattern(ByteSizes.PATTERN)
    @Default("5GB")
    @JsonPropertyDescription(
            "Largest weights file: above it the weights are split into model-00001-of-0000N.safetensors "
                    + "files with model.safetensors.index.json, as Hugging Face does. Bytes, or KB/MB/GB (1000s) or "
                    + "KiB/MiB/GiB (1024s), e.g. 5GB.")
    private String maxShardSize = DEFAULT_MAX_SHARD_SIZE;

    @Default("false")
    @JsonPropertyDescription("With a LoRA adapter: also write the base model with the adapter merged into its weights,"
            + " in final/merged/ in the base's layout.")
    private boolean mergeAdapter = false;

    public OutputSpec() {}

    public boolean isMergeAdapter() {
        return mergeAdapter;
    }

    public void setMergeAdapter(boolean mergeAdapter) {
        this.mergeAdapter = mergeAdapter;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public OutputDtype getDtype() {
        return dtype;
    }

    public void setDtype(OutputDtype dtype) {
        this.dtype = dtype;
    }

    public String getMaxShardSize() {
        return maxShardSize;
    }

    public void setMaxShardSize(String maxShardSize) {
        this.maxShardSize = maxShardSize;
    }

    /** {@link #getMaxShardSize()} in bytes; only for a validated spec. */
    public long maxShardBytes() {
        return ByteSizes.parse(maxShardSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputSpec m
                && Objects.equals(path, m.path)
                && dtype == m.dtype
                && Objects.equals(maxShardSize, m.maxShardSize)
                && mergeAdapter == m.mergeAdapter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, dtype, maxShardSize, mergeAdapter);
    }
}
