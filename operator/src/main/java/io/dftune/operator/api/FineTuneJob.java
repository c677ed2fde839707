package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.Violation;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * The FineTuneJob custom resource: the shared spec ({@link FineTuneJobSpec}, the same type the
 * CLI and the trainer read) and the status the operator writes.
 */
@Group("dftune.io")
@Version("v1alpha1")
@ShortNames("ftj")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Objective",
        jsonPath = ".spec.objective.type",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Progress",
        jsonPath = ".status.progress.percent",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Percent of the optimizer steps done")
@AdditionalPrinterColumn(name = "Loss", jsonPath = ".status.metrics.loss", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
        value = "self.metadata.name.size() <= " + ResourceNames.MAX_JOB_NAME_LENGTH
                + " && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must be a DNS-1035 label of at most " + ResourceNames.MAX_JOB_NAME_LENGTH
                + " characters (it names the trainer Service)")
public class FineTuneJob extends CustomResource<FineTuneJobSpec, FineTuneJobStatus> implements Namespaced {
    public static final String KIND = "FineTuneJob";

    /** Read leniently ({@link SpecReader}): an object whose spec the Java types cannot hold still reads. */
    @Override
    @JsonDeserialize(using = SpecReader.class)
    public void setSpec(FineTuneJobSpec spec) {
        super.setSpec(spec);
    }

    /** The spec's fields that could not be bound to the Java types, each with its value; empty normally. */
    @JsonIgnore
    public List<Violation> unboundFields() {
        return getSpec() instanceof UnboundSpec unbound ? unbound.violations() : List.of();
    }

    @Override
    protected FineTuneJobStatus initStatus() {
        return new FineTuneJobStatus();
    }
}
