package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart grants the operator exactly what the operator's own build says it uses: the rules of
 * the Roles and ClusterRoles generated into operator/target/kubernetes/kubernetes.yml (which the
 * operator's RbacIT checks against the API requests the operator makes in its tests). Nothing more
 * (no wildcards, no built-in roles), nothing less; cluster-wide by default, only in the watched
 * namespaces otherwise.
 */
class RbacTest {
    private static final Path GENERATED = Tools.OPERATOR.resolve("target/kubernetes/kubernetes.yml");

    /** One verb on one resource of one API group. */
    record Grant(String apiGroup, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }
    }

    static Set<Grant> grants(Stream<JsonNode> roles) {
        Set<Grant> grants = new TreeSet<>();
        roles.forEach(role -> role.path("rules").forEach(rule -> {
            assertThat(rule.has("resourceNames") || rule.has("nonResourceURLs"))
                    .as("rule %s", rule)
                    .isFalse();
            rule.path("apiGroups").forEach(g -> rule.path("resources").forEach(r -> rule.path("verbs")
                    .forEach(v -> grants.add(new Grant(g.asText(), r.asText(), v.asText())))));
        }));
        return grants;
    }

    /**
     * What the operator's generated RBAC grants, by kind: the ClusterRole holds what it does in the
     * namespaces it watches, the Role what leader election needs in its own namespace.
     */
    static Set<Grant> operatorNeeds(String kind) throws Exception {
        assertThat(GENERATED)
                .as("the operator's generated RBAC (mvn package -pl operator)")
                .isRegularFile();
        List<JsonNode> generated = Chart.parseAll(Files.readString(GENERATED));
        return grants(generated.stream().filter(d -> kind.equals(d.path("kind").asText())));
    }

    private static Stream<JsonNode> roles(Chart chart) {
        return chart.documents().stream().filter(d -> Set.of("Role", "ClusterRole")
                .contains(d.path("kind").asText()));
    }

    private static boolean isLeaderElection(JsonNode role) {
        return role.at("/metadata/name").asText().endsWith("-leader-election");
    }

    @Test
    void theOperatorsGeneratedRbacSplitsWatchingFromLeaderElection() throws Exception {
        assertThat(operatorNeeds("ClusterRole"))
                .as("sanity: the generated RBAC covers FineTuneJobs")
                .contains(new Grant("dftune.io", "finetunejobs", "watch"));
        assertThat(operatorNeeds("Role")).isNotEmpty().allSatisfy(g -> assertThat(g.resource())
                .isEqualTo("leases"));
    }

    @Test
    void clusterWideTheChartGrantsExactlyWhatTheOperatorUses() throws Exception {
        Chart chart = Chart.defaults();
        assertThat(roles(chart).filter(r -> !isLeaderElection(r)))
                .extracting(r -> r.path("kind").asText())
                .containsExactly("ClusterRole");
        Set<Grant> granted = grants(chart.ofKind("ClusterRole"));
        Set<Grant> needed = operatorNeeds("ClusterRole");
        assertThat(difference(granted, needed))
                .as("granted but not used by the operator")
                .isEmpty();
        assertThat(difference(needed, granted))
                .as("used by the operator but not granted")
                .isEmpty();
        assertLeaderElectionRole(chart);
    }

    @Test
    void namespacedTheSameGrantsInEachWatchedNamespaceAndNothingClusterWide() throws Exception {
        Chart chart = Chart.render(Chart.NAMESPACED_VALUES);
        assertThat(chart.ofKind("ClusterRole")).isEmpty();
        assertThat(chart.ofKind("ClusterRoleBinding")).isEmpty();
        Set<Grant> needed = operatorNeeds("ClusterRole");
        List<JsonNode> roles =
                chart.ofKind("Role").filter(r -> !isLeaderElection(r)).toList();
        assertThat(roles)
                .extracting(r -> r.path("metadata").path("namespace").asText())
                .containsExactlyInAnyOrder("team-a", "team-b");
        for (JsonNode role : roles) {
            assertThat(grants(Stream.of(role)))
                    .as(role.path("metadata").path("namespace").asText())
                    .isEqualTo(needed);
        }
        assertThat(chart.ofKind("RoleBinding").filter(b -> !isLeaderElection(b)))
                .extracting(b -> b.path("metadata").path("namespace").asText())
                .containsExactlyInAnyOrder("team-a", "team-b");
        assertLeaderElectionRole(chart);
    }

    /** Leader election's Role and binding: in the release namespace, exactly the operator's Lease verbs. */
    private static void assertLeaderElectionRole(Chart chart) throws Exception {
        JsonNode role = chart.ofKind("Role")
                .filter(RbacTest::isLeaderElection)
                .findFirst()
                .orElseThrow();
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(Chart.NAMESPACE);
        assertThat(grants(Stream.of(role))).isEqualTo(operatorNeeds("Role"));
        JsonNode binding = chart.ofKind("RoleBinding")
                .filter(RbacTest::isLeaderElection)
                .findFirst()
                .orElseThrow();
        assertThat(binding.at("/metadata/namespace").asText()).isEqualTo(Chart.NAMESPACE);
        assertThat(binding.at("/roleRef/name").asText())
                .isEqualTo(role.at("/metadata/name").asText());
    }

    @Test
    void oneReplicaWithoutLeaderElectionGetsNoLeaseRights() {
        Chart chart = Chart.render(List.of(), "--set", "operator.replicas=1");
        assertThat(grants(roles(chart))).noneMatch(g -> g.resource().equals("leases"));
        assertThat(chart.ofKind("Role")).isEmpty();
    }

    @Test
    void theBindingsBindTheChartsRolesToTheOperatorsServiceAccountOnly() {
        for (Chart chart : List.of(Chart.defaults(), Chart.render(Chart.NAMESPACED_VALUES))) {
            JsonNode account = chart.one("ServiceAccount");
            String pod = chart.one("Deployment")
                    .path("spec")
                    .path("template")
                    .path("spec")
                    .path("serviceAccountName")
                    .asText();
            assertThat(pod).isEqualTo(account.path("metadata").path("name").asText());
            Set<String> roleNames = roles(chart)
                    .map(r -> r.path("kind").asText() + "/"
                            + r.path("metadata").path("name").asText())
                    .collect(Collectors.toSet());
            Stream.concat(chart.ofKind("RoleBinding"), chart.ofKind("ClusterRoleBinding"))
                    .forEach(binding -> {
                        JsonNode ref = binding.path("roleRef");
                        assertThat(roleNames)
                                .as("no built-in or foreign role is bound")
                                .contains(ref.path("kind").asText() + "/"
                                        + ref.path("name").asText());
                        assertThat(binding.path("subjects")).hasSize(1);
                        JsonNode subject = binding.path("subjects").get(0);
                        assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
                        assertThat(subject.path("name").asText()).isEqualTo(pod);
                        assertThat(subject.path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
                    });
        }
    }

    @Test
    void noRuleUsesAWildcard() {
        grants(roles(Chart.render(Chart.FULL_VALUES)))
                .forEach(g -> assertThat(List.of(g.apiGroup(), g.resource(), g.verb()))
                        .as(g.toString())
                        .doesNotContain("*"));
    }

    private static Set<Grant> difference(Set<Grant> a, Set<Grant> b) {
        Set<Grant> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
