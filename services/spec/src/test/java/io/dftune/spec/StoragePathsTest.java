package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoragePathsTest {
    private static final Pattern SCHEMA_PATTERN = Pattern.compile(StoragePaths.PATTERN);

    @Test
    void parsesClaimAndSubPath() {
        assertThat(PvcPath.parse("pvc://models/llama/base")).isEqualTo(new PvcPath("models", "llama/base"));
        assertThat(PvcPath.parse("pvc://runs")).isEqualTo(new PvcPath("runs", ""));
        assertThat(PvcPath.parse("pvc://runs/")).isEqualTo(new PvcPath("runs", ""));
        assertThat(PvcPath.parse("pvc://runs//a/./b/")).isEqualTo(new PvcPath("runs", "a/b"));
    }

    @Test
    void printsBackAsAPvcPath() {
        assertThat(PvcPath.parse("pvc://runs//a/./b/")).hasToString("pvc://runs/a/b");
        assertThat(PvcPath.parse("pvc://runs/")).hasToString("pvc://runs");
    }

    @Test
    void claimLongerThan253CharactersIsRejected() {
        String claim = "a".repeat(254);
        assertThatThrownBy(() -> PvcPath.parse("pvc://" + claim + "/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DNS-1123");
        assertThat(PvcPath.parse("pvc://" + "a".repeat(253)).claim()).hasSize(253);
    }

    @Test
    void classifiesValues() {
        assertThat(StoragePaths.isPvc("pvc://runs/x")).isTrue();
        assertThat(StoragePaths.isPvc("./pvc://x")).isFalse();
        assertThat(StoragePaths.isLocal("./model")).isTrue();
        assertThat(StoragePaths.isLocal("pvc://runs")).isFalse();
        assertThat(StoragePaths.isLocal("https://example.com/model")).isFalse();
    }

    /** The CRD pattern must never refuse what the validator accepts, or kubectl would reject valid jobs. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "model",
                "./model",
                "../up/model",
                "/abs/model",
                "my model/v1",
                "C:/models",
                "a.b-c+d",
                "s3:",
                "s3:/x",
                "1abc://x",
                "dir/http://x",
                "pvc://runs",
                "pvc://runs/",
                "pvc://data.team-a/train.jsonl",
                "pvc://a/b/c",
                "~/models"
            })
    void schemaPatternAcceptsWhatTheValidatorAccepts(String value) {
        assertThat(StoragePaths.problem(value)).isEmpty();
        assertThat(SCHEMA_PATTERN.matcher(value).matches()).as(value).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "s3://bucket/key",
                "https://host/x",
                "PVC://runs",
                "pvc://",
                "pvc:///x",
                "pvc://Bad_Claim/x",
                "pvc://-runs/x",
                "pvc://runs-/x",
                "pvc://UPPER"
            })
    void schemaPatternRejectsWrongSchemesAndClaims(String value) {
        assertThat(StoragePaths.problem(value)).isPresent();
        assertThat(SCHEMA_PATTERN.matcher(value).matches()).as(value).isFalse();
    }
}
