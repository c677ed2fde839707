package io.dftune.engine.io;

import static io.dftune.engine.io.RawSafetensors.littleEndianFloats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sparse file over 4 GiB: offsets past 2^31 and 2^32 must work; no data is actually stored. */
class SafetensorsLargeFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTensorsPastFourGigabytes() throws Exception {
        long padElements = 1_200_000_000L; // 4.8 GB of F32
        long tailBegin = padElements * 4;
        String header = "{\"pad\":{\"dtype\":\"F32\",\"shape\":[" + padElements + "],\"data_offsets\":[0," + tailBegin
                + "]},\"tail\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + tailBegin + ","
                + (tailBegin + 16)
                + "]}}";
        Path file = dir.resolve("big.safetensors");
        RawSafetensors.write(file, header, new byte[0]);
        long dataStart = 8 + header.length();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(dataStart + tailBegin);
            raf.write(littleEndianFloats(1.5f, -2f, 3f, 4.25f));
        }

        assertThat(SafetensorsReader.describe(file).get("tail").begin()).isEqualTo(tailBegin);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> read = SafetensorsReader.read(file, manager, "tail"::equals);
            assertThat(read.get("tail").toFloatArray()).containsExactly(1.5f, -2f, 3f, 4.25f);
            assertThatThrownBy(() -> SafetensorsReader.read(file, manager, "pad"::equals))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining("big.safetensors")
                    .hasMessageContaining("tensor pad")
                    .hasMessageContaining("over 2 GiB");
        }
    }
}
