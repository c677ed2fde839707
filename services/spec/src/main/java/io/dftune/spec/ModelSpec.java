package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** The base model to start from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {
    @Required
    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription("Model directory in Hugging Face layout: a local path or pvc://<claim>/<path>.")
    private String path;

    public ModelSpec() {}

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && Objects.equals(path, m.path);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(path);
    }
}
