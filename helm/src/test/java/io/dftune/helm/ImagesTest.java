package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles agree with the chart and the operator contract: non-root user and group of the
 * pods' securityContext, port 8080, the DJL cache pre-filled read-only at /opt/djl with DJL
 * offline, the trainer's {@code serve} argument after the entrypoint, a CUDA libtorch that DJL's
 * JNI bridge is built for, and image names and tags that the chart's defaults point at.
 */
class ImagesTest {
    private static final Path IMAGES = Tools.REPO.resolve("images");
    private static final Dockerfile TRAINER = new Dockerfile(IMAGES.resolve("trainer/Dockerfile"));
    private static final Dockerfile TRAINER_CUDA = new Dockerfile(IMAGES.resolve("trainer/Dockerfile.cuda"));
    private static final Dockerfile OPERATOR = new Dockerfile(IMAGES.resolve("operator/Dockerfile"));
    private static final String DJL_CACHE = OperatorContract.djlCache();

    private static JsonNode operatorPod() {
        return Chart.defaults().one("Deployment").path("spec").path("template").path("spec");
    }

    @Test
    void everyImageRunsAsTheChartsNonRootUserAndGroupOnPort8080() {
        JsonNode pod = operatorPod();
        String user = pod.path("securityContext").path("runAsUser").asText() + ":"
                + pod.path("securityContext").path("runAsGroup").asText();
        JsonNode container = pod.path("containers").get(0);
        assertThat(user)
                .isEqualTo(container.path("securityContext").path("runAsUser").asText() + ":"
                        + container.path("securityContext").path("runAsGroup").asText())
                .isNotEqualTo("0:0")
                .as("the trainer pods the operator creates")
                .isEqualTo(OperatorContract.trainerUser() + ":" + OperatorContract.trainerUser());
        for (Dockerfile image : List.of(TRAINER, TRAINER_CUDA, OPERATOR)) {
            Dockerfile.Stage last = image.last();
            assertThat(last.last("USER"))
                    .as("%s: numeric, so runAsNonRoot can verify it", image.file)
                    .isEqualTo(user);
            assertThat(String.join("\n", last.all("RUN")))
                    .as(image.file.toString())
                    .contains("groupadd --gid " + user.split(":")[1])
                    .contains("useradd --uid " + user.split(":")[0]);
            assertThat(last.last("EXPOSE"))
                    .isEqualTo(
                            container.path("ports").get(0).path("containerPort").asText());
        }
    }

    @Test
    void trainerImagesRunServeOfflineWithAReadOnlyPrefilledDjlCache() {
        for (Dockerfile image : List.of(TRAINER, TRAINER_CUDA)) {
            Dockerfile.Stage last = image.last();
            Map<String, String> env = last.env();
            assertThat(env)
                    .as(image.file.toString())
                    .containsEntry("DJL_OFFLINE", "true")
                    .containsEntry("DJL_CACHE_DIR", DJL_CACHE)
                    .containsEntry("ENGINE_CACHE_DIR", DJL_CACHE);
            assertThat(last.execForm("ENTRYPOINT")).endsWith("-jar", "/opt/dftune/trainer/quarkus-run.jar");
            assertThat(last.execForm("CMD")).containsExactly("serve");
            assertThat(last.last("EXPOSE")).isEqualTo(String.valueOf(OperatorContract.trainerPort()));
            Dockerfile.Stage cache = image.stage("djl-cache");
            assertThat(last.all("COPY")).contains("--from=djl-cache " + DJL_CACHE + "/ " + DJL_CACHE + "/");
            assertThat(cache.env())
                    .containsEntry("DJL_OFFLINE", "true")
                    .containsEntry("DJL_CACHE_DIR", DJL_CACHE)
                    .containsEntry("ENGINE_CACHE_DIR", DJL_CACHE);
            String warmUp = cache.last("RUN");
            assertThat(warmUp)
                    .as("the engine runs once at build time, then the cache is made read-only")
                    .contains("quarkus-run.jar generate --model /tmp/warm-up-model")
                    .endsWith("chmod -R a+rX,a-w " + DJL_CACHE);
            if (image == TRAINER_CUDA) {
                assertThat(env)
                        .containsAllEntriesOf(cache.env().entrySet().stream()
                                .filter(e -> e.getKey().startsWith("PYTORCH_"))
                                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            }
        }
    }

    @Test
    void trainerImagesRunTheJvmAsTheLauncherDoes() throws IOException {
        String runtime = Files.readString(Tools.REPO.resolve("bin/lib/runtime.sh"));
        Matcher wanted = Pattern.compile("\\$1 == \"(libtcmalloc[^\"]+)\"").matcher(runtime);
        assertThat(wanted.find()).as("the library bin/lib/runtime.sh preloads").isTrue();
        Matcher options =
                Pattern.compile("(?m)^DFTUNE_JVM_OPTIONS=\"([^\"]+)\"").matcher(runtime);
        assertThat(options.find()).as("the JVM options of bin/lib/runtime.sh").isTrue();
        for (Dockerfile image : List.of(TRAINER, TRAINER_CUDA)) {
            Dockerfile.Stage last = image.last();
            assertThat(last.env().get("JAVA_TOOL_OPTIONS").split(" "))
                    .as(image.file.toString())
                    .contains(options.group(1).split(" "));
            assertThat(last.env().get("LD_PRELOAD"))
                    .as(image.file.toString())
                    .isEqualTo("/usr/lib/x86_64-linux-gnu/" + wanted.group(1));
            assertThat(String.join("\n", last.all("RUN")))
                    .as(image.file.toString())
                    .containsPattern("apt-get install [^&]*\\blibtcmalloc-minimal4\\b");
        }
    }

    @Test
    void everyCopiedSourceIsInTheRepositoryOrAModulesBuildOutput() {
        for (Dockerfile image : List.of(TRAINER, TRAINER_CUDA, OPERATOR)) {
            for (Dockerfile.Stage stage : image.stages) {
                for (String copy : stage.all("COPY")) {
                    if (copy.startsWith("--from=")) {
                        continue;
                    }
                    String source = copy.split("\\s+")[0];
                    Matcher build = Pattern.compile("(.+)/target/quarkus-app/").matcher(source);
                    if (build.matches()) {
                        assertThat(Tools.REPO.resolve(build.group(1)).resolve("pom.xml"))
                                .as("%s: %s", image.file, source)
                                .content()
                                .contains("quarkus-maven-plugin");
                    } else {
                        assertThat(Tools.REPO.resolve(source))
                                .as("%s: %s", image.file, source)
                                .exists();
                    }
                }
            }
        }
        assertThat(Tools.REPO.resolve("examples/arithmetic/model/config.json")).exists();
    }

    @Test
    void theCudaImagesLibtorchIsTheBuildDjlsJniBridgeIsMadeFor() throws IOException {
        Map<String, String> env = TRAINER_CUDA.last().env();
        String pom = Files.readString(Tools.REPO.resolve("pom.xml"));
        String pytorch = tag(pom, "pytorch.version");
        String djl = tag(pom, "djl.version");
        assertThat(env)
                .containsEntry("PYTORCH_VERSION", pytorch)
                .containsEntry("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib");
        String flavor = env.get("PYTORCH_FLAVOR");
        assertThat(flavor).matches("cu12\\d");
        // The pytorch-jni jar on this class path is the one the trainer ships.
        ClassLoader loader = getClass().getClassLoader();
        assertThat(new String(
                        loader.getResourceAsStream("jnilib/pytorch.properties").readAllBytes()))
                .contains("jni_version=" + pytorch + "-" + djl);
        assertThat(loader.getResource("jnilib/linux-x86_64/" + flavor + "/libdjl_torch.so"))
                .as("DJL's JNI bridge for %s", flavor)
                .isNotNull();
        String libtorch = String.join("\n", TRAINER_CUDA.stage("libtorch").all("RUN"));
        assertThat(libtorch)
                .contains("grep -q '^" + pytorch.replace(".", "\\.") + "' /opt/libtorch/build-version")
                .contains("libtorch_cuda.so");
        assertThat(Files.readString(TRAINER_CUDA.file)).contains(pytorch + "+" + flavor + ".zip");
    }

    private static String tag(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    @Test
    void theChartsDefaultImagesAreTheOnesTheBuildInstructionsTag() throws IOException {
        JsonNode chart = Chart.YAML.readTree(Tools.CHART.resolve("Chart.yaml").toFile());
        String version = chart.path("appVersion").asText();
        String pom = Files.readString(Tools.REPO.resolve("pom.xml"));
        assertThat(tag(pom, "version")).as("the project version").isEqualTo(version + "-SNAPSHOT");
        String readme = Files.readString(IMAGES.resolve("README.md"));
        Chart defaults = Chart.defaults();
        String operatorImage = defaults.operatorContainer().path("image").asText();
        String cudaTrainer = defaults.operatorEnv().path("DFTUNE_TRAINER_IMAGE").asText();
        String cpuTrainer = Chart.render(List.of(), "--set", "trainer.image.variant=cpu")
                .operatorEnv()
                .path("DFTUNE_TRAINER_IMAGE")
                .asText();
        assertThat(readme)
                .contains("-f images/operator/Dockerfile -t " + operatorImage + " .")
                .contains("-f images/trainer/Dockerfile -t " + cpuTrainer + " .")
                .contains("-t " + cudaTrainer + " .");
        for (Dockerfile image : List.of(TRAINER, TRAINER_CUDA, OPERATOR)) {
            assertThat(Files.readString(image.file))
                    .as("the build command in %s", image.file)
                    .containsAnyOf("-t " + operatorImage + " .", "-t " + cpuTrainer + " .", "-t " + cudaTrainer + " .");
        }
    }
}
