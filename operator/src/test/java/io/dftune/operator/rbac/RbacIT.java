package io.dftune.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RBAC the build generates (target/kubernetes/kubernetes.yml, from application.properties;
 * the Helm chart copies it) grants exactly what the operator's client asked of the API server
 * during the tests ({@link ObservedGrants}): nothing unused, nothing missing. Runs after them.
 */
class RbacIT {
    private static final Path GENERATED = Path.of("target/kubernetes/kubernetes.yml");

    /** Granted though no test makes the request; each with why the operator needs it. */
    private static final Map<Grant, String> NEEDED_UNOBSERVED = Map.of(
            new Grant("dftune.io", "finetunejobs", "get"),
            "JOSDK re-reads a FineTuneJob when its finalizer patch conflicts (conflictRetryingPatchPrimary)",
            new Grant("coordination.k8s.io", "leases", "update"),
            "JOSDK checks it may update the Lease before it elects (LeaderElectionManager.checkLeaseAccess); "
                    + "Fabric8's LeaseLock then patches it");

    /** Asked, but allowed to every authenticated user by Kubernetes' own roles (system:basic-user). */
    private static final Set<Grant> ALLOWED_TO_EVERYONE =
            Set.of(new Grant("authorization.k8s.io", "selfsubjectrulesreviews", "create"));

    private static List<JsonNode> documents;
    private static Set<Grant> granted;

    @BeforeAll
    static void read() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = yaml.getFactory().createParser(GENERATED.toFile())) {
            documents = yaml.readValues(parser, JsonNode.class).readAll();
        }
        granted = new TreeSet<>();
        ofKind("ClusterRole", "Role").forEach(role -> role.path("rules").forEach(rule -> {
            assertThat(rule.has("resourceNames") || rule.has("nonResourceURLs"))
                    .as("rule %s", rule)
                    .isFalse();
            rule.path("apiGroups").forEach(g -> rule.path("resources").forEach(r -> rule.path("verbs")
                    .forEach(v -> granted.add(new Grant(g.asText(), r.asText(), v.asText())))));
        }));
    }

    private static List<JsonNode> ofKind(String... kinds) {
        return documents.stream()
                .filter(d -> Set.of(kinds).contains(d.path("kind").asText()))
                .toList();
    }

    @Test
    void everyGrantIsUsedAndEveryUseIsGranted() throws IOException {
        Set<Grant> observed = ObservedGrants.union();
        assertThat(observed)
                .as(
                        "what the operator's client asked of the API server in the tests, from %s "
                                + "(run the whole operator test suite first)",
                        ObservedGrants.DIR)
                .contains(new Grant("dftune.io", "finetunejobs", "watch"));

        Set<Grant> unused = new TreeSet<>(granted);
        unused.removeAll(observed);
        unused.removeAll(NEEDED_UNOBSERVED.keySet());
        assertThat(unused).as("granted but never used").isEmpty();

        Set<Grant> missing = new TreeSet<>(observed);
        missing.removeAll(granted);
        missing.removeAll(ALLOWED_TO_EVERYONE);
        assertThat(missing).as("used but not granted").isEmpty();
        assertThat(granted).as("the needed ones no test uses").containsAll(NEEDED_UNOBSERVED.keySet());
    }

    @Test
    void aClusterRoleAndALeaderElectionRoleEachBoundToTheOperatorsServiceAccountOnly() {
        assertThat(ofKind("ClusterRole", "Role"))
                .extracting(r -> r.path("kind").asText())
                .containsExactlyInAnyOrder("ClusterRole", "Role");
        JsonNode leaderElection = ofKind("Role").get(0);
        assertThat(leaderElection.path("rules"))
                .as("the Role (in the operator's own namespace) is about Leases only")
                .allSatisfy(
                        rule -> assertThat(rule.path("resources").toString()).isEqualTo("[\"leases\"]"));
        String account = ofKind("ServiceAccount").get(0).at("/metadata/name").asText();
        Set<String> roles = new TreeSet<>();
        ofKind("ClusterRole", "Role")
                .forEach(r -> roles.add(
                        r.path("kind").asText() + "/" + r.at("/metadata/name").asText()));
        List<JsonNode> bindings = ofKind("ClusterRoleBinding", "RoleBinding");
        assertThat(bindings).extracting(b -> b.path("kind").asText()).contains("ClusterRoleBinding", "RoleBinding");
        assertThat(bindings).allSatisfy(binding -> {
            assertThat(roles)
                    .as("no built-in role (view) is bound")
                    .contains(binding.at("/roleRef/kind").asText() + "/"
                            + binding.at("/roleRef/name").asText());
            assertThat(binding.path("subjects")).singleElement().satisfies(s -> assertThat(
                            s.path("kind").asText() + "/" + s.path("name").asText())
                    .isEqualTo("ServiceAccount/" + account));
        });
    }
}
