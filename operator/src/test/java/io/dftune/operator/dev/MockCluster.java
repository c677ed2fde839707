package io.dftune.operator.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dftune.operator.testing.FakeKubelet;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A cluster without Kubernetes, for a packaged operator in another process: Fabric8's mock API
 * server (CRUD) on a local port with the FineTuneJob CRD installed, claims as folders under the
 * work directory, and optionally a {@link FakeKubelet} that runs each trainer pod as a local
 * trainer process. Used by {@code bin/dev-operator}, the operator benchmarks and the tests of
 * packaged operators. A SelfSubjectRulesReview (what leader election asks before it starts) is
 * answered with the rules of the operator's generated RBAC ({@code kubernetes.yml} beside the CRD
 * file), as a real API server would answer the operator's ServiceAccount.
 */
public final class MockCluster implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path work;
    private FakeKubelet kubelet;

    private MockCluster(KubernetesMockServer server, Path work) {
        this.server = server;
        this.client = server.createClient();
        this.work = work;
    }

    /** Starts the API server on {@code apiPort} (0: any free port) and installs the CRD file. */
    public static MockCluster start(int apiPort, Path work, Path crd) throws IOException {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new RbacAwareDispatcher(crd.resolveSibling("kubernetes.yml")),
                false);
        server.init(InetAddress.getLoopbackAddress(), apiPort);
        MockCluster cluster = new MockCluster(server, work);
        try (InputStream in = Files.newInputStream(crd)) {
            cluster.client
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .create();
        }
        Files.createDirectories(work.resolve("pvc"));
        return cluster;
    }

    /** The API server's URL, for the operator's {@code KUBERNETES_MASTER}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public KubernetesClient client() {
        return client;
    }

    public Path work() {
        return work;
    }

    /** Makes the claim {@code name} show {@code source}'s files, or an empty folder when source is null. */
    public void claim(String name, Path source) throws IOException {
        Path mount = work.resolve("pvc").resolve(name);
        if (source == null) {
            Files.createDirectories(mount);
        } else if (!Files.exists(mount)) {
            Files.createSymbolicLink(mount, source.toAbsolutePath());
        }
    }

    /** Runs trainer pods as local processes, every one on {@code trainerPort} (one at a time). */
    public FakeKubelet startKubelet(int trainerPort) {
        return startKubelet(trainerPort, null);
    }

    /** Runs trainer pods as local processes, each FineTuneJob's on {@code trainerPort} of its own host. */
    public FakeKubelet startKubelet(int trainerPort, BiFunction<String, String, String> trainerHost) {
        kubelet = new FakeKubelet(client, work, trainerPort, trainerHost).start();
        return kubelet;
    }

    @Override
    public void close() {
        if (kubelet != null) {
            kubelet.close();
        }
        client.close();
        server.destroy();
    }

    /** The CRUD dispatcher, plus answers to SelfSubjectRulesReviews from the operator's generated RBAC. */
    private static final class RbacAwareDispatcher extends KubernetesCrudDispatcher {
        private static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
        private final Path rbac;

        RbacAwareDispatcher(Path rbac) {
            this.rbac = rbac;
        }

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            if (!request.getPath().startsWith(RULES_REVIEWS)) {
                return super.handleCreate(request);
            }
            try {
                SelfSubjectRulesReview review =
                        Serialization.unmarshal(request.getBody().readUtf8(), SelfSubjectRulesReview.class);
                review.setStatus(new SubjectRulesReviewStatusBuilder()
                        .withIncomplete(false)
                        .withResourceRules(resourceRules())
                        .build());
                return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
            } catch (IOException e) {
                return new MockResponse().setResponseCode(500).setBody(String.valueOf(e));
            }
        }

        /** Every rule of the operator's Roles and ClusterRoles. */
        private List<ResourceRule> resourceRules() throws IOException {
            List<ResourceRule> rules = new ArrayList<>();
            if (!Files.isRegularFile(rbac)) {
                return rules;
            }
            YAMLMapper yaml = new YAMLMapper();
            try (var parser = yaml.getFactory().createParser(rbac.toFile())) {
                for (JsonNode object : yaml.readValues(parser, JsonNode.class).readAll()) {
                    if (Set.of("Role", "ClusterRole")
                            .contains(object.path("kind").asText())) {
                        for (JsonNode rule : object.path("rules")) {
                            rules.add(yaml.treeToValue(rule, ResourceRule.class));
                        }
                    }
                }
            }
            return rules;
        }
    }
}
