package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;

/**
 * The subset of Kubernetes object metadata a job file may carry. What the API server sets on a
 * stored object is ignored, so a FineTuneJob copied from a cluster runs locally as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(
        value = {
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "managedFields",
            "ownerReferences",
            "finalizers",
            "selfLink",
            "generateName"
        })
public class JobMetadata {
    private String name;
    private String namespace;
    private Map<String, String> labels;
    private Map<String, String> annotations;

    public JobMetadata() {}

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobMetadata m
                && Objects.equals(name, m.name)
                && Objects.equals(namespace, m.namespace)
                && Objects.equals(labels, m.labels)
                && Objects.equals(annotations, m.annotations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, labels, annotations);
    }
}
