package io.dftune.engine.plan;

import io.dftune.engine.model.ComputePrecision;
import io.dftune.engine.model.ModelConfig;
import io.dftune.spec.AdapterType;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.Precision;
import io.dftune.spec.TrainingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What would make a run that does not fit fit: each change the spec can make, with its planned peak. */
public final class MemoryAdvice {
    /** A change to the spec and the peak it would plan. */
    public record Option(String change, long peak, boolean fits) {}

    private MemoryAdvice() {}

    public static List<Option> options(
            ModelConfig config,
            FineTuneJobSpec spec,
            PrecisionOnDevice precision,
            int lossChunkTokens,
            MemoryPlan current) {
        TrainingSpec training = spec.getTraining();
        int length = training.getMaxLength();
        Map<String, Consumer<FineTuneJobSpec>> changes = new LinkedHashMap<>();
        if (!spec.getAdapter().isLora()) {
            changes.put("adapter.type lora (rank 16, all-linear)", s -> s.getAdapter()
                    .setType(AdapterType.LORA));
        }
        if (training.getPrecision() != Precision.BF16) {
            changes.put("training.precision bf16", s -> s.getTraining().setPrecision(Precision.BF16));
        }
        if (!training.isGradientCheckpointing()) {
            changes.put(
                    "training.gradientCheckpointing true", s -> s.getTraining().setGradientCheckpointing(true));
        }
        if (training.effectiveMicroBatchSize() > 1) {
            changes.put("training.microBatchSize 1", s -> s.getTraining().setMicroBatchSize(1));
        }
        if (length >= 16) {
            changes.put("training.maxLength " + length / 2, s -> s.getTraining().setMaxLength(length / 2));
        }
        changes.put(
                "all of adapter.type lora, training.precision bf16, gradientCheckpointing true, microBatchSize 1",
                s -> {
                    s.getAdapter().setType(AdapterType.LORA);
                    s.getTraining().setPrecision(Precision.BF16);
                    s.getTraining().setGradientCheckpointing(true);
                    s.getTraining().setMicroBatchSize(1);
                });
        List<Option> options = new ArrayList<>();
        changes.forEach((change, edit) -> {
            FineTuneJobSpec changed = spec.copy();
            edit.accept(changed);
            MemoryPlan plan = MemoryPlanner.plan(
                    config,
                    changed,
                    precision.of(changed.getTraining().getPrecision()),
                    lossChunkTokens,
                    current.available(),
                    current.availableSource());
            if (plan.peak() < current.peak()) {
                options.add(new Option(change, plan.peak(), plan.fits()));
            }
        });
        return options;
    }

    /** The refusal message: the plan against what is available, then each option with its peak. */
    public static String message(MemoryPlan plan, List<Option> options) {
        StringBuilder text = new StringBuilder("the run does not fit: its memory plan peaks at ")
                .append(MemoryPlan.gib(plan.peak()))
                .append(" but ")
                .append(MemoryPlan.gib(plan.available()))
                .append(" is available (")
                .append(plan.availableSource())
                .append("); planned peak with ");
        List<String> parts = new ArrayList<>();
        for (Option o : options) {
            parts.add(o.change() + ": " + MemoryPlan.gib(o.peak()) + (o.fits() ? " (fits)" : ""));
        }
        return text.append(String.join("; with ", parts)).toString();
    }

    /** What a precision setting means on the run's device. */
    public interface PrecisionOnDevice {
        ComputePrecision of(Precision precision);
    }
}
