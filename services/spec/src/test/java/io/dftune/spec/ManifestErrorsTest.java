package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestErrorsTest {
    private static final String HEAD =
            """
            apiVersion: dftune.io/v1alpha1
            kind: FineTuneJob
            spec:
              model: {path: /m}
              data: {train: /d.jsonl}
              output: {path: /o}
            """;

    @TempDir
    Path dir;

    /** Parses HEAD plus the given lines, which start at line 7. */
    private static AbstractThrowableAssert<?, ? extends Throwable> parsing(String tail) {
        return assertThatThrownBy(() -> FineTuneJobFiles.parse(HEAD + tail, Path.of("/")))
                .isInstanceOf(ManifestException.class);
    }

    @Test
    void unknownFieldNamesItsPathLineAndTheKnownFields() throws IOException {
        Path file = Files.writeString(
                dir.resolve("job.yaml"),
                HEAD + """
                  training:
                    maxStep: 100
                """);

        assertThatThrownBy(() -> FineTuneJobFiles.load(file))
                .isInstanceOf(ManifestException.class)
                .hasMessage(file + " line 8: unknown field spec.training.maxStep (known: maxSteps, epochs, "
                        + "batchSize, microBatchSize, maxLength, packing, learningRate, schedule, warmupRatio, weightDecay, "
                        + "adamBeta1, adamBeta2, adamEpsilon, maxGradNorm, seed, evalEverySteps, evalMaxExamples, "
                        + "precision, gradientCheckpointing)");
    }

    @Test
    void unknownTopLevelFieldIsAnError() {
        parsing("spce: {phase: Running}\n")
                .hasMessage("manifest line 7: unknown field spce (known: apiVersion, kind, metadata, spec)");
    }

    @Test
    void badEnumValueNamesTheFieldAndAllowedValues() {
        parsing("""
                  objective:
                    type: dtf
                """)
                .hasMessage("manifest line 8: spec.objective.type: unknown value \"dtf\"; "
                        + "allowed: sft, dft, asft, prob-q, dft-power");
    }

    @Test
    void badScheduleNamesAllowedValues() {
        parsing("  training: {schedule: Cosine}\n")
                .hasMessageEndingWith(
                        "spec.training.schedule: unknown value \"Cosine\"; allowed: constant, linear, cosine");
    }

    @Test
    void badOutputDtypeNamesAllowedValues() {
        assertThatThrownBy(() -> FineTuneJobFiles.parse(
                        HEAD.replace("output: {path: /o}", "output: {path: /o, dtype: float16}"), Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessageEndingWith("spec.output.dtype: unknown value \"float16\"; allowed: auto, float32, bfloat16");
    }

    @Test
    void numberForAnEnumIsNotTakenAsAnOrdinal() {
        parsing("  objective: {type: 1}\n").hasMessageContaining("spec.objective.type: unknown value \"1\"");
    }

    @Test
    void stringWhereANumberIsExpectedNamesFieldAndLine() {
        parsing("""
                  training:
                    learningRate: fast
                """)
                .hasMessage("manifest line 8: spec.training.learningRate: expected a number, got \"fast\"");
    }

    @Test
    void fractionWhereAnIntegerIsExpectedIsNotTruncated() {
        parsing("  training: {batchSize: 8.5}\n")
                .hasMessage("manifest line 7: spec.training.batchSize: expected an integer, got \"8.5\"");
    }

    @Test
    void integerWhereABooleanIsExpectedIsAnError() {
        parsing("  objective: {betaRamp: 1}\n").hasMessageContaining("spec.objective.betaRamp: expected true or false");
    }

    @Test
    void scalarWhereASectionIsExpectedIsAnError() {
        assertThatThrownBy(() -> FineTuneJobFiles.parse(HEAD.replace("model: {path: /m}", "model: /m"), Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest line 4: spec.model: expected a mapping");
    }

    @Test
    void yamlNanIsRejectedNamingTheField() {
        parsing("  training: {learningRate: .nan}\n")
                .hasMessage("manifest line 7: spec.training.learningRate: expected a finite number, got \".nan\"");
    }

    @Test
    void duplicateFieldIsAnError() {
        parsing("  training: {batchSize: 8, batchSize: 16}\n")
                .hasMessage("manifest line 7: duplicate field spec.training.batchSize");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        parsing("  training:\n    batchSize: 8\n   seed: 1\n")
                .hasMessageStartingWith("manifest line 9: invalid YAML: expected <block end>");
    }

    @Test
    void aSecondDocumentIsAnError() {
        parsing("---\napiVersion: v1\n").hasMessageContaining("more than one document");
    }

    @Test
    void emptyManifestIsAnError() {
        assertThatThrownBy(() -> FineTuneJobFiles.parse("", Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest: empty manifest");
        assertThatThrownBy(() -> FineTuneJobFiles.parse("# only a comment\n", Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest: empty manifest");
    }

    @Test
    void nonMappingDocumentIsAnError() {
        assertThatThrownBy(() -> FineTuneJobFiles.parse("- a\n- b\n", Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest line 1: top level: expected a mapping");
    }

    @Test
    void wrongApiVersionIsAnError() {
        assertThatThrownBy(
                        () -> FineTuneJobFiles.parse(HEAD.replace("dftune.io/v1alpha1", "dftune.io/v1"), Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest: apiVersion must be \"dftune.io/v1alpha1\", got \"dftune.io/v1\"");
    }

    @Test
    void missingApiVersionIsAnError() {
        assertThatThrownBy(() ->
                        FineTuneJobFiles.parse(HEAD.replace("apiVersion: dftune.io/v1alpha1\n", ""), Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest: apiVersion is missing; expected \"dftune.io/v1alpha1\"");
    }

    @Test
    void wrongKindIsAnError() {
        assertThatThrownBy(() -> FineTuneJobFiles.parse(HEAD.replace("kind: FineTuneJob", "kind: Job"), Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest: kind must be \"FineTuneJob\", got \"Job\"");
    }

    @Test
    void missingSpecIsAnError() {
        assertThatThrownBy(() ->
                        FineTuneJobFiles.parse("apiVersion: dftune.io/v1alpha1\nkind: FineTuneJob\n", Path.of("/")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("manifest: spec is missing");
    }

    @Test
    void bothErrorKindsShareTheSpecExceptionBase() {
        assertThat(new ManifestException("x")).isInstanceOf(SpecException.class);
        assertThat(new InvalidSpecException(java.util.List.of(new Violation("spec", "required"))))
                .isInstanceOf(SpecException.class);
    }
}
