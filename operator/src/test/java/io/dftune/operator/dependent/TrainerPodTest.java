package io.dftune.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.config.OperatorConfig;
import io.dftune.operator.testing.Settings;
import io.dftune.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerPodTest {
    private final FineTuneJob job = Serialization.unmarshal(TestJobs.manifest("pod", 10, 0), FineTuneJob.class);

    private static OperatorConfig config(boolean scrapeAnnotations) {
        return Settings.of(Map.of("dftune.trainer.scrape-annotations", String.valueOf(scrapeAnnotations)));
    }

    @Test
    void withoutScrapeAnnotationsThePodCarriesOnlyItsAttempt() {
        PodTemplateSpec pod = TrainerPod.template(job, config(false), 2);
        assertThat(pod.getMetadata().getAnnotations())
                .containsExactly(Map.entry(ResourceNames.ANNOTATION_ATTEMPT, "2"));
    }

    @Test
    void scrapeAnnotationsPointAtTheTrainersMetricsPort() {
        PodTemplateSpec pod = TrainerPod.template(job, config(true), 0);
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/q/metrics")
                .containsEntry(ResourceNames.ANNOTATION_ATTEMPT, "0");
        int port = Integer.parseInt(annotations.get("prometheus.io/port"));
        assertThat(pod.getSpec().getContainers().get(0).getPorts())
                .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(port));
    }
}
