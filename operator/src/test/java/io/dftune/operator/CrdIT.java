package io.dftune.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD the Quarkus operator SDK generates from the Java types (the Helm chart ships it): names,
 * status subresource, printer columns, and the schema's defaults, ranges, enums and CEL rules.
 * (The generated RBAC: {@link io.dftune.operator.rbac.RbacIT}.)
 */
class CrdIT {
    private static final Path DIR = Path.of("target/kubernetes");
    private static JsonNode crd;
    private static JsonNode version;
    private static JsonNode spec;

    @BeforeAll
    static void read() throws IOException {
        crd = new YAMLMapper()
                .readTree(DIR.resolve("finetunejobs.dftune.io-v1.yml").toFile());
        version = crd.at("/spec/versions/0");
        spec = version.at("/schema/openAPIV3Schema/properties/spec/properties");
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    @Test
    void namesScopeVersionAndStatusSubresource() {
        assertThat(crd.at("/metadata/name").asText()).isEqualTo("finetunejobs.dftune.io");
        assertThat(crd.at("/spec/group").asText()).isEqualTo("dftune.io");
        assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("FineTuneJob");
        assertThat(texts(crd.at("/spec/names/shortNames"), null)).containsExactly("ftj");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
        assertThat(version.path("storage").asBoolean()).isTrue();
        assertThat(version.at("/subresources/status").isObject()).isTrue();
    }

    @Test
    void printerColumns() {
        JsonNode columns = version.path("additionalPrinterColumns");
        assertThat(texts(columns, "name")).containsExactlyInAnyOrder("Phase", "Objective", "Progress", "Loss", "Age");
        assertThat(texts(columns, "jsonPath"))
                .containsExactlyInAnyOrder(
                        ".status.phase",
                        ".spec.objective.type",
                        ".status.progress.percent",
                        ".status.metrics.loss",
                        ".metadata.creationTimestamp");
    }

    @Test
    void defaultsAndRanges() {
        JsonNode training = spec.at("/training/properties");
        assertThat(training.at("/batchSize/default").asInt()).isEqualTo(8);
        assertThat(training.at("/batchSize/minimum").asDouble()).isEqualTo(1);
        assertThat(training.at("/maxLength/maximum").asDouble()).isEqualTo(1_048_576);
        assertThat(training.at("/learningRate/exclusiveMinimum").asBoolean()).isTrue();
        assertThat(training.at("/learningRate/default").asDouble()).isEqualTo(5e-5);
        assertThat(spec.at("/objective/properties/type/default").asText()).isEqualTo("dft");
        assertThat(spec.at("/backoffLimit/default").asInt()).isEqualTo(3);
        assertThat(spec.at("/backoffLimit/maximum").asDouble()).isEqualTo(100);
        assertThat(spec.at("/suspend/default").asBoolean()).isFalse();
        assertThat(spec.at("/activeDeadlineSeconds/minimum").asDouble()).isEqualTo(1);
        assertThat(spec.at("/resources/properties/gpus/maximum").asDouble()).isEqualTo(1);
        assertThat(spec.at("/resources/properties/memory/pattern").asText()).contains("Gi");
        assertThat(spec.at("/output/properties/path/pattern").asText()).startsWith("^(pvc://");
        assertThat(texts(version.at("/schema/openAPIV3Schema/properties/spec/required"), null))
                .containsExactlyInAnyOrder("model", "data", "output");
    }

    @Test
    void enums() {
        assertThat(texts(spec.at("/objective/properties/type/enum"), null))
                .containsExactlyInAnyOrder("sft", "dft", "asft", "prob-q", "dft-power");
        assertThat(texts(spec.at("/training/properties/schedule/enum"), null))
                .containsExactlyInAnyOrder("constant", "linear", "cosine");
        assertThat(texts(spec.at("/tolerations/items/properties/operator/enum"), null))
                .containsExactlyInAnyOrder("Exists", "Equal");
        assertThat(texts(version.at("/schema/openAPIV3Schema/properties/status/properties/phase/enum"), null))
                .containsExactlyInAnyOrder("Pending", "Running", "Succeeded", "Failed", "Suspended");
    }

    @Test
    void celRulesForCrossFieldRulesAndImmutableFields() {
        assertThat(rules(spec.path("training")))
                .contains(
                        "self == oldSelf",
                        "self.maxSteps > 0 || self.epochs > 0",
                        "!has(self.microBatchSize) || self.batchSize % self.microBatchSize == 0");
        for (String immutable : List.of("model", "data", "objective", "checkpoint", "output")) {
            assertThat(rules(spec.path(immutable))).as(immutable).contains("self == oldSelf");
        }
        assertThat(rules(spec.path("output"))).contains("self.path.startsWith('pvc://')");
        assertThat(rules(spec.at("/tolerations/items"))).hasSize(3);
        assertThat(rules(version.at("/schema/openAPIV3Schema")))
                .singleElement()
                .asString()
                .contains("self.metadata.name.size() <= 55");
        assertThat(rules(spec.path("suspend"))).as("suspend may change").isEmpty();
    }

    private static List<String> rules(JsonNode schema) {
        return texts(schema.path("x-kubernetes-validations"), "rule");
    }
}
