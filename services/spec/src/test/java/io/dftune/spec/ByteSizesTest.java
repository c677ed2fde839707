package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {
    private static final Pattern SCHEMA_PATTERN = Pattern.compile(ByteSizes.PATTERN);

    /** Hugging Face's units: KB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024. */
    @ParameterizedTest
    @CsvSource({
        "5GB, 5000000000",
        "500MB, 500000000",
        "10KB, 10000",
        "2GiB, 2147483648",
        "3MiB, 3145728",
        "1KiB, 1024",
        "123, 123",
        "999999999999999GiB, -1"
    })
    void parsesSizes(String value, long bytes) {
        if (bytes < 0) {
            assertThatThrownBy(() -> ByteSizes.parse(value)).isInstanceOf(ArithmeticException.class);
            return;
        }
        assertThat(ByteSizes.parse(value)).isEqualTo(bytes);
        assertThat(ByteSizes.problem(value)).isEmpty();
        assertThat(SCHEMA_PATTERN.matcher(value).matches()).isTrue();
    }

    /** What the validator refuses, the CRD pattern refuses too (0 aside, which only the validator catches). */
    @ParameterizedTest
    @ValueSource(strings = {"5gb", "5Gb", "1.5GB", "5 GB", "5TB", "GB", "", "-5MB", "5B", "0x10"})
    void refusesOtherSpellings(String value) {
        assertThat(ByteSizes.problem(value))
                .hasValueSatisfying(p -> assertThat(p).contains("must be a size such as 5GB"));
        assertThat(SCHEMA_PATTERN.matcher(value).matches()).isFalse();
        assertThatThrownBy(() -> ByteSizes.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }
}
