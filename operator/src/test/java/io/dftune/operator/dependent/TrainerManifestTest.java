package io.dftune.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.testing.ClusterObjects;
import io.dftune.spec.FineTuneJobSpec;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The pod's job file carries every field of the spec that defines the run, whatever fields the
 * spec type has: a spec with every field set (found by introspecting the spec type, so a field
 * added later is covered too) comes out of the file unchanged, except the cluster fields, which stay
 * out.
 */
class TrainerManifestTest {
    /** What the operator acts on itself; the trainer never sees them. */
    private static final Set<String> CLUSTER_FIELDS = Set.of(
            "image",
            "resources",
            "nodeSelector",
            "tolerations",
            "priorityClassName",
            "queueName",
            "suspend",
            "backoffLimit",
            "activeDeadlineSeconds",
            "ttlSecondsAfterFinished");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void everyRunFieldReachesThePodsFileAndNoClusterFieldDoes() throws Exception {
        ObjectNode everything = (ObjectNode) sample(JSON.constructType(FineTuneJobSpec.class), "spec");
        FineTuneJob job = ClusterObjects.fineTuneJob(j -> {});
        job.setSpec(JSON.treeToValue(everything, FineTuneJobSpec.class));

        JsonNode file = new YAMLMapper().readTree(TrainerManifest.yaml(job)).path("spec");

        Set<String> runFields = new TreeSet<>();
        everything.fieldNames().forEachRemaining(runFields::add);
        runFields.removeAll(CLUSTER_FIELDS);
        assertThat(runFields).as("the spec has run fields").contains("model", "data", "training", "output");
        for (String field : runFields) {
            assertThat(file.get(field)).as("spec.%s in the pod's file", field).isEqualTo(everything.get(field));
        }
        for (String field : CLUSTER_FIELDS) {
            assertThat(everything.get(field)).as("sample of spec.%s", field).isNotNull();
            assertThat(file.get(field))
                    .as("spec.%s stays out of the pod's file", field)
                    .isNotEqualTo(everything.get(field));
        }
    }

    @Test
    void everySpecFieldIsARunFieldOrAClusterField() {
        Set<String> all = new TreeSet<>();
        properties(JSON.constructType(FineTuneJobSpec.class)).forEach(p -> all.add(p.getName()));
        Set<String> neither = new TreeSet<>(all);
        neither.removeAll(RunFields.names());
        neither.removeAll(CLUSTER_FIELDS);
        assertThat(neither)
                .as("spec fields that are neither immutable (self == oldSelf: read by the trainer) nor known "
                        + "to the operator as cluster fields")
                .isEmpty();
        assertThat(RunFields.names()).doesNotContainAnyElementsOf(CLUSTER_FIELDS);
    }

    @Test
    void claimPathsBecomeWhereThePodMountsThem() throws Exception {
        FineTuneJob job = ClusterObjects.fineTuneJob(j -> {
            j.getSpec().getModel().setPath("pvc://models/base");
            j.getSpec().getData().setTrain("pvc://data/sets/train.jsonl");
            j.getSpec().getData().setEval("pvc://data");
            j.getSpec().getOutput().setPath("pvc://runs/ftj");
        });
        JsonNode file = new YAMLMapper().readTree(TrainerManifest.yaml(job)).path("spec");
        assertThat(file.at("/model/path").asText()).isEqualTo("/mnt/pvc/models/base");
        assertThat(file.at("/data/train").asText()).isEqualTo("/mnt/pvc/data/sets/train.jsonl");
        assertThat(file.at("/data/eval").asText()).isEqualTo("/mnt/pvc/data");
        assertThat(file.at("/output/path").asText()).isEqualTo("/mnt/pvc/runs/ftj");

        VolumeLayout layout = VolumeLayout.of(job.getSpec());
        assertThat(layout.volumes())
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName() + " readOnly="
                        + v.getPersistentVolumeClaim().getReadOnly())
                .containsExactly("models readOnly=true", "data readOnly=true", "runs readOnly=false");
        assertThat(layout.mounts())
                .extracting(m -> m.getMountPath() + " readOnly=" + m.getReadOnly())
                .containsExactly(
                        "/mnt/pvc/models readOnly=true", "/mnt/pvc/data readOnly=true", "/mnt/pvc/runs readOnly=false");
    }

    @Test
    void anOutputOnAClaimAlsoReadFromMountsItWritableOnce() {
        FineTuneJob job = ClusterObjects.fineTuneJob(j -> {
            j.getSpec().getModel().setPath("pvc://shared/model");
            j.getSpec().getData().setTrain("pvc://shared/train.jsonl");
            j.getSpec().getData().setEval(null);
            j.getSpec().getOutput().setPath("pvc://shared/out");
        });
        assertThat(VolumeLayout.of(job.getSpec()).mounts())
                .extracting(m -> m.getMountPath() + " readOnly=" + m.getReadOnly())
                .containsExactly("/mnt/pvc/shared readOnly=false");
    }

    /** A value of {@code type} that differs from its default, for every property of a bean, recursively. */
    private static JsonNode sample(JavaType type, String path) throws Exception {
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return NODES.textNode("value of " + path);
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return NODES.numberNode(7);
        }
        if (raw == double.class || raw == Double.class) {
            return NODES.numberNode(0.25);
        }
        if (raw.isEnum()) {
            return JSON.valueToTree(raw.getEnumConstants()[raw.getEnumConstants().length - 1]);
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return NODES.arrayNode().add(sample(type.getContentType(), path + "[0]"));
        }
        if (Map.class.isAssignableFrom(raw)) {
            return NODES.objectNode().set("key", sample(type.getContentType(), path + "[key]"));
        }
        ObjectNode bean = NODES.objectNode();
        JsonNode defaults = JSON.valueToTree(raw.getDeclaredConstructor().newInstance());
        for (BeanPropertyDefinition p : properties(type)) {
            String name = p.getName();
            JavaType propertyType = p.getPrimaryType();
            if (propertyType.getRawClass() == boolean.class || propertyType.getRawClass() == Boolean.class) {
                bean.put(name, !defaults.path(name).asBoolean(false));
            } else if (propertyType.isEnumType() && defaults.has(name)) {
                bean.set(name, otherConstant(propertyType.getRawClass(), defaults.get(name)));
            } else {
                bean.set(name, sample(propertyType, path + "." + name));
            }
        }
        return bean;
    }

    private static JsonNode otherConstant(Class<?> enumType, JsonNode defaultValue) {
        for (Object constant : enumType.getEnumConstants()) {
            JsonNode value = JSON.valueToTree(constant);
            if (!value.equals(defaultValue)) {
                return value;
            }
        }
        throw new IllegalStateException(enumType + " has one constant");
    }

    private static Iterable<BeanPropertyDefinition> properties(JavaType type) {
        Iterator<BeanPropertyDefinition> all =
                JSON.getSerializationConfig().introspect(type).findProperties().iterator();
        return () -> all;
    }
}
