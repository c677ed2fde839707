package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm lint and template over the default and full values; the rendered objects are valid and locked down. */
class HelmChartTest {
    private static final List<List<Path>> VALUE_SETS =
            List.of(List.of(), List.of(Chart.FULL_VALUES), List.of(Chart.NAMESPACED_VALUES));

    @Test
    void lintStrictPassesWithDefaultAndFullValues() {
        for (List<Path> values : VALUE_SETS) {
            List<String> command =
                    new ArrayList<>(List.of(Tools.helm().toString(), "lint", "--strict", Tools.CHART.toString()));
            values.forEach(v -> command.addAll(List.of("--values", v.toString())));
            assertThat(Tools.run(command)
                            .assertOk("helm lint --strict " + values)
                            .output())
                    .contains("1 chart(s) linted, 0 chart(s) failed");
        }
    }

    @Test
    void everyRenderedManifestPassesItsKubernetesSchema() throws IOException {
        for (List<Path> values : VALUE_SETS) {
            Chart chart = Chart.render(values);
            Path manifests = Files.createTempFile("dftune-chart-", ".yaml");
            try {
                Files.writeString(manifests, chart.text);
                String out = Tools.run(List.of(
                                Tools.node(),
                                Path.of("src/test/node/validate-manifests.mjs")
                                        .toAbsolutePath()
                                        .toString(),
                                Tools.nodeModules().toString(),
                                manifests.toString()))
                        .assertOk("validate-manifests.mjs")
                        .output();
                List<JsonNode> results = out.lines()
                        .map(line -> {
                            try {
                                return Chart.YAML.readTree(line);
                            } catch (IOException e) {
                                throw new AssertionError("not a result line: " + line + "\n" + out);
                            }
                        })
                        .toList();
                assertThat(results)
                        .as("one result per rendered object")
                        .hasSize(chart.documents().size());
                for (JsonNode result : results) {
                    assertThat(result.path("errors"))
                            .as(
                                    "%s %s with values %s",
                                    result.path("kind").asText(),
                                    result.path("name").asText(),
                                    values)
                            .isEmpty();
                }
            } finally {
                Files.delete(manifests);
            }
        }
    }

    @Test
    void defaultValuesInstallTheOperatorAndNoMonitoringObjects() {
        assertThat(kinds(Chart.defaults()))
                .containsExactly(
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "CustomResourceDefinition",
                        "Deployment",
                        "PodDisruptionBudget",
                        "Role",
                        "RoleBinding",
                        "Service",
                        "ServiceAccount");
    }

    @Test
    void twoReplicasByDefaultElectALeaderThroughALeaseInTheReleaseNamespace() {
        Chart chart = Chart.defaults();
        JsonNode deployment = chart.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt())
                .isZero();
        JsonNode env = chart.operatorEnv();
        assertThat(env.path("DFTUNE_LEADER_ELECTION_ENABLED").asText()).isEqualTo("true");
        assertThat(env.path("DFTUNE_LEADER_ELECTION_LEASE_NAMESPACE").asText()).isEqualTo(Chart.NAMESPACE);
        assertThat(env.path("DFTUNE_LEADER_ELECTION_LEASE_NAME").asText())
                .isEqualTo(deployment.at("/metadata/name").asText());
        assertThat(env.path("DFTUNE_LEADER_ELECTION_LEASE_DURATION").asText()).isEqualTo("15s");
        assertThat(env.path("DFTUNE_LEADER_ELECTION_RENEW_DEADLINE").asText()).isEqualTo("10s");
        assertThat(env.path("DFTUNE_LEADER_ELECTION_RETRY_PERIOD").asText()).isEqualTo("2s");
        JsonNode budget = chart.one("PodDisruptionBudget");
        assertThat(budget.at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(budget.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    }

    @Test
    void oneReplicaRunsAloneUnlessLeaderElectionIsAskedFor() {
        Chart alone = Chart.render(List.of(), "--set", "operator.replicas=1");
        assertThat(alone.one("Deployment").at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(alone.operatorEnv().has("DFTUNE_LEADER_ELECTION_ENABLED")).isFalse();
        assertThat(kinds(alone)).doesNotContain("Role", "RoleBinding", "PodDisruptionBudget");

        Chart electing = Chart.render(
                List.of(), "--set", "operator.replicas=1", "--set", "operator.leaderElection.enabled=true");
        assertThat(electing.one("Deployment").at("/spec/strategy/type").asText())
                .isEqualTo("RollingUpdate");
        assertThat(electing.operatorEnv().path("DFTUNE_LEADER_ELECTION_ENABLED").asText())
                .isEqualTo("true");
        assertThat(kinds(electing)).contains("Role", "RoleBinding").doesNotContain("PodDisruptionBudget");
    }

    @Test
    void fullValuesRenderEveryOptionalObject() {
        Chart full = Chart.render(Chart.FULL_VALUES);
        assertThat(kinds(full))
                .containsExactly(
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "ConfigMap",
                        "CustomResourceDefinition",
                        "Deployment",
                        "NetworkPolicy",
                        "PodDisruptionBudget",
                        "PodMonitor",
                        "PrometheusRule",
                        "Role",
                        "RoleBinding",
                        "Service",
                        "ServiceAccount",
                        "ServiceMonitor");
        assertThat(full.operatorContainer().path("image").asText())
                .isEqualTo("registry.example/ml/dftune-operator:1.2.3");
        assertThat(full.operatorEnv().path("DFTUNE_TRAINER_IMAGE").asText())
                .isEqualTo("registry.example/ml/dftune-trainer:0.1.0");
        assertThat(full.operatorEnv().path("QUARKUS_LOG_LEVEL").asText()).isEqualTo("DEBUG");
    }

    private static Set<String> kinds(Chart chart) {
        Set<String> kinds = new TreeSet<>();
        chart.documents().forEach(d -> kinds.add(d.path("kind").asText()));
        return kinds;
    }

    @Test
    void theOperatorPodMeetsTheRestrictedPodSecurityStandard() {
        for (List<Path> values : VALUE_SETS) {
            JsonNode pod = Chart.render(values)
                    .one("Deployment")
                    .path("spec")
                    .path("template")
                    .path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean())
                    .isTrue();
            assertThat(pod.path("securityContext")
                            .path("seccompProfile")
                            .path("type")
                            .asText())
                    .isEqualTo("RuntimeDefault");
            for (String hostField : List.of("hostNetwork", "hostPID", "hostIPC")) {
                assertThat(pod.path(hostField).asBoolean(false)).as(hostField).isFalse();
            }
            pod.path("volumes").forEach(v -> assertThat(v.has("hostPath"))
                    .as("hostPath volume %s", v)
                    .isFalse());
            assertThat(pod.path("containers")).hasSize(1);
            JsonNode container = pod.path("containers").get(0);
            JsonNode security = container.path("securityContext");
            assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
            assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(security.path("runAsUser").asInt()).isPositive();
            assertThat(security.path("capabilities").path("drop"))
                    .extracting(JsonNode::asText)
                    .containsExactly("ALL");
            assertThat(security.path("capabilities").has("add")).isFalse();
            assertThat(security.path("privileged").asBoolean(false)).isFalse();
            assertThat(container.path("ports")).anySatisfy(p -> {
                assertThat(p.path("name").asText()).isEqualTo("http");
                assertThat(p.path("containerPort").asInt()).isEqualTo(8080);
            });
            assertThat(container
                            .path("livenessProbe")
                            .path("httpGet")
                            .path("path")
                            .asText())
                    .isEqualTo("/q/health/live");
            assertThat(container
                            .path("readinessProbe")
                            .path("httpGet")
                            .path("path")
                            .asText())
                    .isEqualTo("/q/health/ready");
            assertThat(container
                            .path("resources")
                            .path("requests")
                            .path("memory")
                            .asText())
                    .isNotEmpty();
            assertThat(container.path("resources").path("limits").path("memory").asText())
                    .isNotEmpty();
            assertThat(container.path("volumeMounts"))
                    .anySatisfy(m -> assertThat(m.path("mountPath").asText()).isEqualTo("/tmp"));
        }
    }

    @Test
    void theOperatorWatchesEveryNamespaceOrTheListedOnes() {
        assertThat(Chart.defaults()
                        .operatorEnv()
                        .path("QUARKUS_OPERATOR_SDK_NAMESPACES")
                        .asText())
                .isEqualTo("JOSDK_ALL_NAMESPACES");
        assertThat(Chart.render(Chart.NAMESPACED_VALUES)
                        .operatorEnv()
                        .path("QUARKUS_OPERATOR_SDK_NAMESPACES")
                        .asText())
                .isEqualTo("team-a,team-b");
    }

    @Test
    void theDefaultTrainerImageIsTheCudaVariantOfTheChartVersion() {
        assertThat(Chart.defaults().operatorEnv().path("DFTUNE_TRAINER_IMAGE").asText())
                .isEqualTo("dftune/trainer:0.1.0-cuda");
        assertThat(Chart.defaults().operatorContainer().path("image").asText()).isEqualTo("dftune/operator:0.1.0");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "trainer.image.variant|rocm|/trainer/image/variant",
                "operator.replicas|-1|/operator/replicas",
                "operator.leaderElection.leaseDuration|soon|/operator/leaderElection/leaseDuration",
                "operator.replica|2|additional properties 'replica'",
                "operator.statusInterval|ten seconds|/operator/statusInterval",
                "watchNamespaces[0]|Team_A|/watchNamespaces/0",
                "operator.image.pullPolicy|Sometimes|/operator/image/pullPolicy",
                "metrics.podMonitor.enabled|yes|/metrics/podMonitor/enabled",
                "operator.resources.limits.memory|lots|/operator/resources/limits/memory",
            })
    void badValuesAreRejectedWithTheirPath(String key, String value, String message) {
        Tools.Result result = Chart.tryRender(key.contains("enabled") ? "--set-string" : "--set", key + "=" + value);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output())
                .contains("values don't meet the specifications of the schema")
                .contains(message);
        List<String> lint = List.of(
                Tools.helm().toString(),
                "lint",
                "--strict",
                Tools.CHART.toString(),
                key.contains("enabled") ? "--set-string" : "--set",
                key + "=" + value);
        Tools.Result linted = Tools.run(lint);
        assertThat(linted.exitCode()).as(linted.output()).isNotZero();
        assertThat(linted.output()).contains(message);
    }

    @Test
    void theCrdObjectIsTheChartsCrdFileWithAKeepPolicy() throws IOException {
        JsonNode file = Chart.YAML.readTree(
                Tools.CHART.resolve("crd/finetunejobs.dftune.io-v1.yml").toFile());
        assertThat(file.path("metadata").size())
                .as("the template adds annotations and labels to a metadata of only a name")
                .isEqualTo(1);
        JsonNode rendered = Chart.defaults().one("CustomResourceDefinition").deepCopy();
        assertThat(rendered.path("metadata")
                        .path("annotations")
                        .path("helm.sh/resource-policy")
                        .asText())
                .isEqualTo("keep");
        assertThat(rendered.path("spec")).isEqualTo(file.path("spec"));
        assertThat(rendered.path("metadata").path("name"))
                .isEqualTo(file.path("metadata").path("name"));
        assertThat(Chart.render(List.of(), "--set", "crds.install=false").ofKind("CustomResourceDefinition"))
                .isEmpty();
    }

    @Test
    void onlyTheOperatorAndPrometheusReachTrainerPods() {
        Map<String, String> trainer = OperatorContract.trainerPodLabels("some-job");
        for (Chart chart : List.of(Chart.render(Chart.FULL_VALUES), Chart.render(Chart.NAMESPACED_VALUES))) {
            JsonNode operatorPod = chart.one("Deployment")
                    .path("spec")
                    .path("template")
                    .path("metadata")
                    .path("labels");
            for (JsonNode policy : chart.ofKind("NetworkPolicy").toList()) {
                JsonNode spec = policy.path("spec");
                assertThat(selects(spec.path("podSelector"), trainer))
                        .as("selects trainer pods")
                        .isTrue();
                assertThat(spec.path("policyTypes"))
                        .extracting(JsonNode::asText)
                        .containsExactly("Ingress");
                assertThat(spec.path("ingress")).hasSize(1);
                JsonNode rule = spec.path("ingress").get(0);
                assertThat(rule.path("ports"))
                        .extracting(p -> p.path("port").asText())
                        .containsExactly(OperatorContract.trainerPortName());
                JsonNode from = rule.path("from");
                assertThat(from).hasSize(2);
                assertThat(from.get(0)
                                .path("namespaceSelector")
                                .path("matchLabels")
                                .path("kubernetes.io/metadata.name")
                                .asText())
                        .isEqualTo(Chart.NAMESPACE);
                assertThat(selects(from.get(0).path("podSelector"), labels(operatorPod)))
                        .as("the operator")
                        .isTrue();
                assertThat(from.get(1)
                                .path("podSelector")
                                .path("matchLabels")
                                .path("app.kubernetes.io/name")
                                .asText())
                        .as("Prometheus")
                        .isEqualTo("prometheus");
                assertThat(from.get(1).has("namespaceSelector")).isTrue();
            }
        }
        assertThat(Chart.render(Chart.NAMESPACED_VALUES).ofKind("NetworkPolicy"))
                .extracting(p -> p.path("metadata").path("namespace").asText())
                .containsExactly("team-a", "team-b");
        assertThat(Chart.render(Chart.FULL_VALUES).ofKind("NetworkPolicy"))
                .extracting(p -> p.path("metadata").path("namespace").asText())
                .containsExactly(Chart.NAMESPACE);
    }

    @Test
    void theMonitorsSelectTheOperatorsServiceAndTheTrainerPodsAndHonourTheirLabels() {
        Chart chart = Chart.render(Chart.FULL_VALUES);
        JsonNode service = chart.one("Service");
        JsonNode serviceMonitor = chart.one("ServiceMonitor").path("spec");
        assertThat(selects(
                        serviceMonitor.path("selector"),
                        labels(service.path("metadata").path("labels"))))
                .isTrue();
        assertThat(labels(chart.one("Deployment")
                        .path("spec")
                        .path("template")
                        .path("metadata")
                        .path("labels")))
                .containsAllEntriesOf(labels(service.path("spec").path("selector")));
        JsonNode podMonitor = chart.one("PodMonitor").path("spec");
        assertThat(selects(podMonitor.path("selector"), OperatorContract.trainerPodLabels("some-job")))
                .isTrue();
        assertThat(podMonitor.path("namespaceSelector").path("any").asBoolean()).isTrue();
        for (JsonNode endpoint : List.of(
                serviceMonitor.path("endpoints").get(0),
                podMonitor.path("podMetricsEndpoints").get(0))) {
            assertThat(endpoint.path("port").asText()).isEqualTo("http");
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
            assertThat(endpoint.path("honorLabels").asBoolean())
                    .as("job and namespace name the FineTuneJob")
                    .isTrue();
        }
        assertThat(Chart.render(Chart.NAMESPACED_VALUES)
                        .one("PodMonitor")
                        .path("spec")
                        .path("namespaceSelector")
                        .path("matchNames"))
                .extracting(JsonNode::asText)
                .containsExactly("team-a", "team-b");
        JsonNode annotations = chart.one("Deployment")
                .path("spec")
                .path("template")
                .path("metadata")
                .path("annotations");
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        assertThat(annotations.path("example.com/owner").asText())
                .as("podAnnotations kept")
                .isEqualTo("ml-platform");
    }

    @Test
    void everyDftuneVariableOfTheOperatorIsOneOfItsSettingsAndTrainerScrapeAnnotationsFollowTheToggle() {
        assertThat(OperatorContract.settingVariables())
                .as("sanity: read from the operator's config mapping")
                .contains("DFTUNE_STATUS_INTERVAL", "DFTUNE_TRAINER_STOP_GRACE_PERIOD");
        for (Chart chart : List.of(Chart.defaults(), Chart.render(Chart.FULL_VALUES))) {
            operatorEnv(chart).keySet().stream()
                    .filter(name -> name.startsWith("DFTUNE_"))
                    .forEach(name -> assertThat(OperatorContract.settingVariables())
                            .as(name)
                            .contains(name));
        }
        assertThat(operatorEnv(Chart.defaults())).containsEntry("DFTUNE_TRAINER_SCRAPE_ANNOTATIONS", "true");
        assertThat(operatorEnv(Chart.render(List.of(), "--set", "metrics.annotations.enabled=false")))
                .containsEntry("DFTUNE_TRAINER_SCRAPE_ANNOTATIONS", "false");
    }

    private static Map<String, String> operatorEnv(Chart chart) {
        Map<String, String> env = new HashMap<>();
        chart.one("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** Whether a label selector (matchLabels only) selects these labels. */
    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        assertThat(selector.has("matchExpressions")).isFalse();
        Map<String, String> match = labels(selector.path("matchLabels"));
        return !match.isEmpty() && labels.entrySet().containsAll(match.entrySet());
    }
}
