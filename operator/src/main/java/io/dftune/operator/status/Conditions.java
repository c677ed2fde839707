package io.dftune.operator.status;

import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status conditions, derived from the phase: SpecValid, Running, Suspended, Complete and
 * Failed, each always present. A condition's lastTransitionTime moves only when its status flips;
 * reason, message and observedGeneration follow the latest reconciliation.
 */
public final class Conditions {
    public static final String SPEC_VALID = "SpecValid";
    public static final String RUNNING = "Running";
    public static final String SUSPENDED = "Suspended";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";

    private Conditions() {}

    static void apply(FineTuneJobStatus s, long generation, Instant now) {
        boolean invalid = Lifecycle.INVALID_SPEC.equals(s.reason) && s.phase == Phase.Failed;
        String reason = s.reason == null ? "Pending" : s.reason;
        List<Condition> next = new ArrayList<>();
        next.add(set(
                s,
                SPEC_VALID,
                !invalid,
                invalid ? Lifecycle.INVALID_SPEC : "Valid",
                invalid ? s.message : "the spec is valid",
                generation,
                now));
        next.add(set(s, RUNNING, s.phase == Phase.Running, reason, s.message, generation, now));
        next.add(set(s, SUSPENDED, s.phase == Phase.Suspended, reason, s.message, generation, now));
        next.add(set(s, COMPLETE, s.phase == Phase.Succeeded, reason, s.message, generation, now));
        next.add(set(s, FAILED, s.phase == Phase.Failed, reason, s.message, generation, now));
        s.conditions = next;
    }

    private static Condition set(
            FineTuneJobStatus s,
            String type,
            boolean value,
            String reason,
            String message,
            long generation,
            Instant now) {
        String status = value ? "True" : "False";
        Condition old = find(s.conditions, type);
        String since = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime()
                : Lifecycle.time(now);
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
