package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where the run writes its checkpoints and final model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputSpec {
    @Required
    @Pattern(StoragePaths.PATTERN)
    @JsonPropertyDescription("Output directory: a local path or pvc://<claim>/<path>.")
    private String path;

    public OutputSpec() {}

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputSpec m && Objects.equals(path, m.path);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(path);
    }
}
