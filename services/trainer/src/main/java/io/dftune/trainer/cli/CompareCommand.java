package io.dftune.trainer.cli;

import io.dftune.engine.train.TrainingListener;
import io.dftune.spec.LocalVolumes;
import io.dftune.spec.run.ExitCodes;
import io.dftune.trainer.cluster.ClusterComparison;
import io.dftune.trainer.experiment.ExperimentPlan;
import io.dftune.trainer.experiment.ExperimentResults;
import io.dftune.trainer.experiment.ExperimentRunner;
import io.dftune.trainer.experiment.RunKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dftune compare experiment.yaml [--cluster]}: fine-tunes every arm of an experiment, here or
 * as FineTuneJobs, and tabulates the scores.
 */
@Command(
        name = "compare",
        description =
                "Compare objectives: run an experiment file (arms x learning rates x seeds) and write its tables.")
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "Experiment file")
    Path experimentFile;

    @Option(
            names = "--volume",
            paramLabel = "CLAIM=DIR",
            description = "DIR holds the files of the claim CLAIM: here, the job template's pvc://CLAIM paths read"
                    + " from DIR; with --cluster, the experiment's files in DIR are read from pvc://CLAIM. Repeatable.")
    List<String> volumes = new ArrayList<>();

    @Option(
            names = "--cluster",
            description = "Run every fine-tune as a FineTuneJob on the cluster of the kubeconfig (as kubectl finds it)")
    boolean cluster;

    @Option(names = "--namespace", description = "With --cluster: the namespace (default: the kubeconfig's)")
    String namespace;

    @Option(names = "--queue", description = "With --cluster: the Kueue LocalQueue (spec.queueName) of every job")
    String queue;

    @Option(
            names = "--parallel",
            defaultValue = "2",
            description = "With --cluster: at most N unfinished jobs at a time (default ${DEFAULT-VALUE})")
    int parallel;

    @Option(
            names = "--collapse-margin",
            defaultValue = "0.1",
            description = "With --cluster: stop a run whose validation exact match during training falls below the"
                    + " base model's by more than this (absolute; default ${DEFAULT-VALUE})")
    double collapseMargin;

    @Option(
            names = "--poll-seconds",
            defaultValue = "10",
            description = "With --cluster: seconds between reads of the jobs' statuses (default ${DEFAULT-VALUE})")
    double pollSeconds;

    @Override
    public Integer call() throws Exception {
        ExperimentPlan plan = ExperimentPlan.load(experimentFile);
        LocalVolumes localVolumes = LocalVolumes.parse(volumes);
        ExperimentResults results = cluster ? onCluster(plan, localVolumes) : here(plan, localVolumes);
        results.write();
        System.out.println();
        System.out.println(Files.readString(plan.output().resolve("results.md")));
        System.out.println("tables in " + plan.output().resolve("results.md") + ", curves in "
                + plan.output().resolve("curves.png"));
        return ExitCodes.SUCCEEDED;
    }

    private static ExperimentResults here(ExperimentPlan plan, LocalVolumes volumes) {
        return new ExperimentRunner(plan, volumes, new ExperimentRunner.Progress() {
                    @Override
                    public void message(String text) {
                        System.out.println(text);
                    }

                    @Override
                    public TrainingListener runStarting(RunKey key, int index, int total) {
                        System.out.printf("%n[%d/%d] %s%n", index, total, key.label());
                        return new ProgressDisplay(System.out, key.arm());
                    }
                })
                .run();
    }

    private ExperimentResults onCluster(ExperimentPlan plan, LocalVolumes volumes) throws InterruptedException {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            String ns = namespace != null ? namespace : client.getNamespace();
            System.out.println("experiment " + plan.name() + " in namespace " + ns);
            return new ClusterComparison(
                            plan,
                            volumes,
                            client,
                            ns,
                            queue,
                            parallel,
                            collapseMargin,
                            Duration.ofMillis(Math.round(pollSeconds * 1000)),
                            System.out::println)
                    .run();
        }
    }
}
