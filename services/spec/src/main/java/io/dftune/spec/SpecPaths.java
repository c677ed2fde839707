package io.dftune.spec;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The spec's fields that name a file or folder (a local path or {@code pvc://<claim>/<path>}), in
 * one list for the code that resolves, maps or mounts them.
 */
public final class SpecPaths {
    /** One path field: its name as errors show it, and how to read and replace its value. */
    public record Field(
            String name, Function<FineTuneJobSpec, String> getter, BiConsumer<FineTuneJobSpec, String> setter) {
        /** The value, or null when the field or its section is not set. */
        public String get(FineTuneJobSpec spec) {
            return getter.apply(spec);
        }

        /** Replaces a value that {@link #get} returned non-null. */
        public void set(FineTuneJobSpec spec, String value) {
            setter.accept(spec, value);
        }
    }

    public static final List<Field> FIELDS = List.of(
            new Field(
                    "spec.model.path",
                    s -> s.getModel() == null ? null : s.getModel().getPath(),
                    (s, v) -> s.getModel().setPath(v)),
            new Field(
                    "spec.data.train",
                    s -> s.getData() == null ? null : s.getData().getTrain(),
                    (s, v) -> s.getData().setTrain(v)),
            new Field(
                    "spec.data.eval",
                    s -> s.getData() == null ? null : s.getData().getEval(),
                    (s, v) -> s.getData().setEval(v)),
            new Field(
                    "spec.adapter.path",
                    s -> s.getAdapter() == null ? null : s.getAdapter().getPath(),
                    (s, v) -> s.getAdapter().setPath(v)),
            new Field(
                    "spec.output.path",
                    s -> s.getOutput() == null ? null : s.getOutput().getPath(),
                    (s, v) -> s.getOutput().setPath(v)));

    private SpecPaths() {}
}
