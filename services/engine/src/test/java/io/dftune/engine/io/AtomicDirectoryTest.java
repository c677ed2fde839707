package io.dftune.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsHalfwayLeavesNothingBehindAndTheOldDirectoryIntact() throws IOException {
        Path target = dir.resolve("step-4");
        AtomicDirectory.write(target, d -> Files.writeString(d.resolve("weights"), "old"));

        assertThatThrownBy(() -> AtomicDirectory.write(target, d -> {
                    Files.write(d.resolve("weights"), new byte[1 << 20]);
                    throw new FileSystemException(d.resolve("optimizer").toString(), null, "No space left on device");
                }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("could not write " + target)
                .hasMessageContaining("No space left on device");

        assertThat(AtomicDirectory.temporary(target)).doesNotExist();
        assertThat(Files.readString(target.resolve("weights"))).isEqualTo("old");
        try (var children = Files.list(dir)) {
            assertThat(children.map(p -> p.getFileName().toString())).containsExactly("step-4");
        }
    }

    @Test
    void aFillerBugAlsoLeavesNothingBehind() {
        Path target = dir.resolve("final");
        assertThatThrownBy(() -> AtomicDirectory.write(target, d -> {
                    Files.writeString(d.resolve("config.json"), "{}");
                    throw new IllegalStateException("encoder bug");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(AtomicDirectory.temporary(target)).doesNotExist();
        assertThat(target).doesNotExist();
    }

    @Test
    void temporaryNamesAreRecognised() {
        assertThat(AtomicDirectory.isTemporary(AtomicDirectory.temporary(dir.resolve("step-10"))))
                .isTrue();
        assertThat(AtomicDirectory.isTemporary(dir.resolve("step-10"))).isFalse();
    }
}
