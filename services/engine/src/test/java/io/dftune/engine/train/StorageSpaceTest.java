package io.dftune.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageSpaceTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsExplainedWithTheSpaceNeededAndFree() {
        var full = new UncheckedIOException(new FileSystemException("/x/step-100", null, "No space left on device"));
        String text = StorageSpace.shortfall(full, 3L << 30, dir);
        assertThat(text).matches("; a checkpoint needs about 3\\.0 GiB and [0-9.]+ (GiB|MiB) is free on " + dir);
    }

    @Test
    void aQuotaCountsAsSpace() {
        assertThat(StorageSpace.outOfSpace(new FileSystemException("/x", null, "Disk quota exceeded")))
                .isTrue();
    }

    @Test
    void otherFailuresSayNothingAboutSpace() {
        assertThat(StorageSpace.shortfall(new AccessDeniedException("/x"), 1 << 20, dir))
                .isEmpty();
        assertThat(StorageSpace.size(5L << 20)).isEqualTo("5.0 MiB");
    }
}
