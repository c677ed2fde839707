package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The CRD's ranges come from @Min/@Max; the validator must draw the line at the same values, so a
 * job the API server admits is never rejected by the operator and the other way round.
 */
class SchemaBoundsTest {
    private record Section(String prefix, Function<FineTuneJobSpec, Object> get) {}

    private static final List<Section> SECTIONS = List.of(
            new Section("spec.objective.", FineTuneJobSpec::getObjective),
            new Section("spec.training.", FineTuneJobSpec::getTraining),
            new Section("spec.eval.", FineTuneJobSpec::getEval),
            new Section("spec.checkpoint.", FineTuneJobSpec::getCheckpoint),
            new Section("spec.", spec -> spec),
            new Section("spec.resources.", spec -> {
                if (spec.getResources() == null) {
                    spec.setResources(new ResourcesSpec());
                }
                return spec.getResources();
            }));

    @Test
    void validatorAgreesWithEverySchemaBound() throws ReflectiveOperationException {
        int bounds = 0;
        for (Section section : SECTIONS) {
            for (Field field : section.get().apply(TestSpecs.valid()).getClass().getDeclaredFields()) {
                Min min = field.getAnnotation(Min.class);
                if (min != null) {
                    checkBound(section, field, min.value(), min.inclusive(), -1);
                    bounds++;
                }
                Max max = field.getAnnotation(Max.class);
                if (max != null) {
                    checkBound(section, field, max.value(), max.inclusive(), +1);
                    bounds++;
                }
            }
        }
        assertThat(bounds).isEqualTo(37);
    }

    /** At the bound: valid iff inclusive. One step outside it: a violation naming the field. */
    private static void checkBound(Section section, Field field, double bound, boolean inclusive, int outward)
            throws ReflectiveOperationException {
        String name = section.prefix() + field.getName();
        assertThat(fieldViolations(section, field, bound, name))
                .as(name + " = " + bound)
                .isEqualTo(!inclusive);
        double outside = isInteger(field) ? bound + outward : (outward < 0 ? Math.nextDown(bound) : Math.nextUp(bound));
        assertThat(fieldViolations(section, field, outside, name))
                .as(name + " = " + outside)
                .isTrue();
    }

    private static boolean fieldViolations(Section section, Field field, double value, String name)
            throws ReflectiveOperationException {
        FineTuneJobSpec spec = TestSpecs.valid();
        spec.getTraining().setMaxSteps(100); // so epochs = 0 is allowed on its own
        Object target = section.get().apply(spec);
        field.setAccessible(true);
        if (field.getType() == double.class) {
            field.setDouble(target, value);
        } else if (field.getType() == long.class || field.getType() == Long.class) {
            field.set(target, (long) value);
        } else {
            field.set(target, (int) value);
        }
        if (name.equals("spec.training.batchSize")) {
            spec.getTraining().setMicroBatchSize(null);
        }
        return SpecValidator.validate(spec).stream().anyMatch(v -> v.field().equals(name));
    }

    private static boolean isInteger(Field field) {
        return field.getType() != double.class;
    }
}
