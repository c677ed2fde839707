package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A FineTuneJob manifest as written in a job file: the same shape as the Kubernetes resource. A
 * resource copied from a cluster ({@code kubectl get ftj NAME -o yaml}) reads too: its
 * {@code status} is ignored, as is the metadata the API server sets ({@link JobMetadata}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties("status")
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public class FineTuneJob {
    public static final String API_VERSION = "dftune.io/v1alpha1";
    public static final String KIND = "FineTuneJob";

    private String apiVersion;
    private String kind;
    private JobMetadata metadata;
    private FineTuneJobSpec spec;

    public FineTuneJob() {}

    /** A manifest with the current apiVersion and kind. */
    public static FineTuneJob of(String name, FineTuneJobSpec spec) {
        FineTuneJob job = new FineTuneJob();
        job.setApiVersion(API_VERSION);
        job.setKind(KIND);
        JobMetadata metadata = new JobMetadata();
        metadata.setName(name);
        job.setMetadata(metadata);
        job.setSpec(spec);
        return job;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public JobMetadata getMetadata() {
        return metadata;
    }

    public void setMetadata(JobMetadata metadata) {
        this.metadata = metadata;
    }

    public FineTuneJobSpec getSpec() {
        return spec;
    }

    public void setSpec(FineTuneJobSpec spec) {
        this.spec = spec;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FineTuneJob j
                && Objects.equals(apiVersion, j.apiVersion)
                && Objects.equals(kind, j.kind)
                && Objects.equals(metadata, j.metadata)
                && Objects.equals(spec, j.spec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiVersion, kind, metadata, spec);
    }
}
