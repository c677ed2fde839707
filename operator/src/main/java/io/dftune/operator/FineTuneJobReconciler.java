package io.dftune.operator;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.config.OperatorConfig;
import io.dftune.operator.dependent.AuthSecretDependent;
import io.dftune.operator.dependent.SpecConfigMapDependent;
import io.dftune.operator.dependent.TrainerJobCondition;
import io.dftune.operator.dependent.TrainerJobDependent;
import io.dftune.operator.dependent.TrainerServiceDependent;
import io.dftune.operator.dependent.ValidSpecCondition;
import io.dftune.operator.dependent.WorkflowInput;
import io.dftune.operator.metrics.OperatorMetrics;
import io.dftune.operator.status.Attempt;
import io.dftune.operator.status.Lifecycle;
import io.dftune.operator.status.StatusMapping;
import io.dftune.operator.status.TransitionEvents;
import io.dftune.operator.status.Validation;
import io.dftune.operator.watch.RunWatchers;
import io.dftune.operator.watch.TrainerProgressEvents;
import io.dftune.spec.Violation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * FineTuneJob -> ConfigMap (spec), Secret (token), Service and batch Job (trainer pod), one
 * dependent resource class per kind. Each reconciliation validates the spec once, decides the
 * status ({@link Lifecycle}), writes it when it changed (before any object is replaced, so a count
 * survives a crash), decides from it whether the trainer Job should exist, hands those decisions to
 * the workflow ({@link WorkflowInput}), runs it, and finally follows the running trainer over gRPC
 * without waiting for it.
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(
                    name = "spec",
                    type = SpecConfigMapDependent.class,
                    reconcilePrecondition = ValidSpecCondition.class),
            @Dependent(
                    name = "auth",
                    type = AuthSecretDependent.class,
                    reconcilePrecondition = ValidSpecCondition.class),
            @Dependent(
                    name = "service",
                    type = TrainerServiceDependent.class,
                    reconcilePrecondition = ValidSpecCondition.class),
            @Dependent(
                    name = "trainer",
                    type = TrainerJobDependent.class,
                    reconcilePrecondition = TrainerJobCondition.class,
                    dependsOn = {"spec", "auth"})
        })
@ControllerConfiguration(name = FineTuneJobReconciler.NAME)
public class FineTuneJobReconciler implements Reconciler<FineTuneJob>, Cleaner<FineTuneJob> {
    public static final String NAME = "finetunejob";
    /** A little past a deadline, so the clock has passed it when the reconciliation runs. */
    private static final Duration MARGIN = Duration.ofMillis(200);

    private static final Duration EARLIER_POD_RECHECK = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(FineTuneJobReconciler.class);

    private final RunWatchers watchers;
    private final OperatorMetrics metrics;
    private final OperatorConfig config;

    public FineTuneJobReconciler(RunWatchers watchers, OperatorMetrics metrics, OperatorConfig config) {
        this.watchers = watchers;
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public List<EventSource<?, FineTuneJob>> prepareEventSources(EventSourceContext<FineTuneJob> context) {
        InformerEventSource<Pod, FineTuneJob> pods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, FineTuneJob.class)
                        .withName("trainer-pods")
                        .withLabelSelector(ResourceNames.MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(
                                pod -> Optional.ofNullable(pod.getMetadata().getLabels())
                                        .map(labels -> labels.get(ResourceNames.LABEL_JOB))
                                        .map(name -> Set.of(new ResourceID(
                                                name, pod.getMetadata().getNamespace())))
                                        .orElse(Set.of()))
                        .build(),
                context);
        return List.of(pods, new TrainerProgressEvents(watchers));
    }

    @Override
    public UpdateControl<FineTuneJob> reconcile(FineTuneJob job, Context<FineTuneJob> context) {
        ResourceID id = ResourceID.fromResource(job);
        Instant now = Instant.now();
        Optional<Job> trainerJob = context.getSecondaryResource(Job.class);
        Set<Pod> pods = context.getSecondaryResources(Pod.class);
        FineTuneJobStatus old = job.getStatus();
        List<Violation> violations = Validation.violations(job);
        FineTuneJobStatus next =
                Lifecycle.decide(new Lifecycle.Observed(job, violations, trainerJob, pods, watchers.snapshot(id), now));

        if (old == null || !StatusMapping.same(old, next)) {
            job.setStatus(next);
            context.resourceOperations().updatePrimaryStatus(job);
            transitioned(context, job, old, next, now);
        }
        metrics.phase(job, next.phase());

        boolean validSpec = violations.isEmpty();
        boolean wantsTrainerJob = Lifecycle.wantsTrainerJob(job, validSpec, trainerJob, pods);
        boolean earlierPodStillRuns = wantsTrainerJob
                && trainerJob.isEmpty()
                && old != null
                && Attempt.anyPodAlive(LivePods.of(context.getClient(), job));
        if (earlierPodStillRuns) {
            // The cache missed a pod that the API server still has: wait for it, and look again soon, as its
            // end may reach the cache as late as its start did.
            LOG.infof("%s: a trainer pod the cache had not shown is still running; the new trainer Job waits", id);
            wantsTrainerJob = false;
        }
        new WorkflowInput(validSpec, wantsTrainerJob, config).putInto(context);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        follow(context, id, next, trainerJob, pods);
        // The workflow made or removed the trainer Job: the informer does not report the
        // operator's own changes, so look again for the status they lead to.
        boolean trainerJobChanged = !uid(trainerJob).equals(uid(context.getSecondaryResource(Job.class)));

        Optional<Duration> ttl = Lifecycle.ttlIn(job, next, now);
        if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
            context.getClient().resource(job).delete();
            metrics.reconciled(true);
            return UpdateControl.noUpdate();
        }
        metrics.reconciled(true);
        UpdateControl<FineTuneJob> control = UpdateControl.noUpdate();
        if (trainerJobChanged) {
            return control.reschedule();
        }
        if (earlierPodStillRuns) {
            return control.rescheduleAfter(EARLIER_POD_RECHECK);
        }
        Stream.of(ttl, Lifecycle.deadlineIn(job, next, now))
                .flatMap(Optional::stream)
                .min(Duration::compareTo)
                .ifPresent(wait -> control.rescheduleAfter(wait.isNegative() ? MARGIN : wait.plus(MARGIN)));
        return control;
    }

    private static String uid(Optional<Job> job) {
        return job.map(j -> j.getMetadata().getUid()).orElse("");
    }

    private void transitioned(
            Context<FineTuneJob> context, FineTuneJob job, FineTuneJobStatus old, FineTuneJobStatus next, Instant now) {
        if (TransitionEvents.isTransition(old, next)) {
            TransitionEvents.record(context.getClient(), job, next, now);
        }
        int restarts = next.restarts - (old == null ? 0 : old.restarts);
        if (restarts > 0) {
            metrics.restarted(job, restarts);
        }
    }

    /** Watches the trainer of the current attempt while its pod runs; stops watching otherwise. */
    private void follow(
            Context<FineTuneJob> context,
            ResourceID id,
            FineTuneJobStatus status,
            Optional<Job> trainerJob,
            Set<Pod> pods) {
        Optional<Pod> running = trainerJob
                .filter(j -> ResourceNames.attempt(j) == status.restarts)
                .flatMap(j -> Attempt.podOf(j, pods))
                .filter(p ->
                        p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        Optional<String> token = context.getSecondaryResource(Secret.class).map(AuthSecretDependent::token);
        if (running.isPresent() && token.isPresent() && !Lifecycle.isFinal(status)) {
            watchers.watch(id, running.get().getMetadata().getUid(), token.get());
        } else if (running.isEmpty()) {
            watchers.release(id);
        }
    }

    @Override
    public ErrorStatusUpdateControl<FineTuneJob> updateErrorStatus(
            FineTuneJob job, Context<FineTuneJob> context, Exception e) {
        metrics.reconciled(false);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public DeleteControl cleanup(FineTuneJob job, Context<FineTuneJob> context) {
        watchers.forget(ResourceID.fromResource(job));
        metrics.deleted(job);
        return DeleteControl.defaultDelete();
    }
}
