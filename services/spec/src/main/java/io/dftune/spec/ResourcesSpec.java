package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** Compute for the trainer pod (cluster only; the CLI ignores it). Requests equal limits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {
    @Min(0)
    @Max(1)
    @Default("0")
    @JsonPropertyDescription("GPUs for the trainer pod (nvidia.com/gpu): 0 trains on CPU, 1 on one GPU (the trainer"
            + " trains on one device).")
    private int gpus = 0;

    @Pattern(Quantities.PATTERN)
    @JsonPropertyDescription("CPU for the trainer pod, a Kubernetes quantity such as 500m or 4.")
    private String cpu;

    @Pattern(Quantities.PATTERN)
    @JsonPropertyDescription("Memory for the trainer pod, a Kubernetes quantity such as 8Gi.")
    private String memory;

    public ResourcesSpec() {}

    public int getGpus() {
        return gpus;
    }

    public void setGpus(int gpus) {
        this.gpus = gpus;
    }

    public String getCpu() {
        return cpu;
    }

    public void setCpu(String cpu) {
        this.cpu = cpu;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcesSpec r
                && gpus == r.gpus
                && Objects.equals(cpu, r.cpu)
                && Objects.equals(memory, r.memory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gpus, cpu, memory);
    }
}
