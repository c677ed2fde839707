package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

class SpecBindingTest {
    private static final String VALID =
            """
            model: {path: pvc://models/base}
            data: {train: pvc://data/train.jsonl}
            objective: {type: sft, klWeight: 0.2}
            training: {maxSteps: 40, batchSize: 4}
            output: {path: pvc://runs/a}
            """;

    private static JsonNode tree(String yaml) throws Exception {
        return new YAMLMapper().readTree(yaml);
    }

    private static SpecBinding.Result<FineTuneJobSpec> bind(String yaml) throws Exception {
        return SpecBinding.bind(tree(yaml), FineTuneJobSpec.class);
    }

    @Test
    void aReadableSpecBindsAsAJobFileWould() throws Exception {
        SpecBinding.Result<FineTuneJobSpec> result = bind(VALID);
        assertThat(result.violations()).isEmpty();
        assertThat(result.spec().getObjective().getType()).isEqualTo(ObjectiveType.SFT);
        assertThat(result.spec().getTraining().getMaxSteps()).isEqualTo(40);
        assertThat(SpecValidator.validateForCluster(result.spec())).isEmpty();
    }

    @Test
    void anUnknownEnumValueIsNamedWithTheAllowedOnesAndTheRestStillBinds() throws Exception {
        SpecBinding.Result<FineTuneJobSpec> result = bind(VALID.replace("type: sft", "type: bogus"));
        assertThat(result.violations())
                .containsExactly(new Violation(
                        "spec.objective.type", "unknown value \"bogus\"; allowed: sft, dft, asft, prob-q, dft-power"));
        assertThat(result.spec().getObjective().getKlWeight()).as("its sibling").isEqualTo(0.2);
        assertThat(result.spec().getTraining().getMaxSteps()).isEqualTo(40);
    }

    @Test
    void everyUnbindableFieldIsReportedNotJustTheFirst() throws Exception {
        SpecBinding.Result<FineTuneJobSpec> result = bind(VALID.replace("type: sft", "type: bogus")
                .replace("maxSteps: 40", "maxSteps: ten")
                .replace("batchSize: 4", "batchSize: 4, loraRank: 8"));
        assertThat(result.violations())
                .extracting(Violation::toString)
                .hasSize(3)
                .contains(
                        "spec.objective.type: unknown value \"bogus\"; allowed: sft, dft, asft, prob-q, dft-power",
                        "spec.training.maxSteps: expected an integer, got \"ten\"")
                .anySatisfy(v -> assertThat(v)
                        .startsWith("spec.training.loraRank: unknown field (known: maxSteps, epochs, batchSize,")
                        .contains(" evalEverySteps,"));

        assertThat(result.spec().getTraining().getBatchSize()).isEqualTo(4);
        assertThat(result.spec().getTraining().getMaxSteps())
                .as("left at its default")
                .isZero();
    }

    @Test
    void aSectionOfTheWrongShapeIsLeftOutWhole() throws Exception {
        SpecBinding.Result<FineTuneJobSpec> result =
                bind(VALID.replace("training: {maxSteps: 40, batchSize: 4}", "training: fast"));
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.training");
            assertThat(v.message()).startsWith("expected a mapping");
        });
        assertThat(result.spec().getTraining()).as("its defaults").isNotNull();
    }

    @Test
    void aBadListEntryIsNamedByItsIndex() throws Exception {
        SpecBinding.Result<FineTuneJobSpec> result =
                bind(VALID + "tolerations: [{key: a, operator: Exists}, {key: b, operator: Sometimes}]\n");
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.tolerations[1].operator");
            assertThat(v.message()).contains("\"Sometimes\"");
        });
    }

    @Test
    void aSpecThatIsNoMappingBindsToAnEmptySpecTheValidatorRejects() throws Exception {
        SpecBinding.Result<FineTuneJobSpec> result = SpecBinding.bind(tree("just text"), FineTuneJobSpec.class);
        assertThat(result.violations()).singleElement().satisfies(v -> assertThat(v.field())
                .isEqualTo("spec"));
        assertThat(SpecValidator.validateForCluster(result.spec()))
                .extracting(Violation::field)
                .contains("spec.model", "spec.data", "spec.output");
    }

    /** What a reader that keeps more per spec (the operator) binds to. */
    public static class Annotated extends FineTuneJobSpec {}

    @Test
    void aSubclassIsBoundAsItself() throws Exception {
        SpecBinding.Result<Annotated> result = SpecBinding.bind(tree(VALID), Annotated.class);
        assertThat(result.spec()).isInstanceOf(Annotated.class);
        assertThat(result.spec().getOutput().getPath()).isEqualTo("pvc://runs/a");
    }
}
