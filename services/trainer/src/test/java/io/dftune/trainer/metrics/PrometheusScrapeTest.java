package io.dftune.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.testing.TinyJob;
import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.StartRunRequest;
import io.dftune.spec.run.StepMetric;
import io.dftune.trainer.testing.PrometheusServer;
import io.dftune.trainer.testing.TrainerClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real Prometheus scrapes a training trainer, and PromQL finds the run's series. */
@QuarkusTest
class PrometheusScrapeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int STEPS = 40;

    @TestHTTPResource("/")
    URL root;

    @Test
    void prometheusScrapesTheLossAndProgressOfARun() throws Exception {
        Path dir = Files.createTempDirectory("dftune-prometheus-test-");
        TinyJob.writeModelAndData(dir);
        try (PrometheusServer prometheus = new PrometheusServer(dir, root.getPort());
                TrainerClient client = new TrainerClient(root.getPort())) {
            client.blocking()
                    .startRun(StartRunRequest.newBuilder()
                            .setManifest(TinyJob.manifest("prom-test", "out", STEPS, 10))
                            .setBaseDir(dir.toString())
                            .build());

            String job = "{job=\"prom-test\",namespace=\"tests\",objective=\"dft\"}";
            JsonNode loss = prometheus.awaitResult(
                    TrainerMetrics.prometheus(StepMetric.LOSS.info().meter().orElseThrow()) + job, WAIT);
            double value = Double.parseDouble(loss.get(0).path("value").get(1).asText());
            assertThat(value).isPositive().isFinite();

            prometheus.awaitResult("dftune_train_steps_total" + job + " == " + STEPS, WAIT);
            prometheus.awaitResult("dftune_run_phase{job=\"prom-test\",phase=\"succeeded\"} == 1", WAIT);
            JsonNode checkpoints = prometheus.awaitResult("dftune_checkpoint_write_seconds_count" + job, WAIT);
            assertThat(checkpoints.get(0).path("value").get(1).asDouble()).isEqualTo(STEPS / 10.0);
            assertThat(client.blocking()
                            .getRun(GetRunRequest.getDefaultInstance())
                            .getPhase())
                    .isEqualTo(Phase.PHASE_SUCCEEDED);
        } finally {
            AtomicDirectory.deleteRecursively(dir);
        }
    }
}
