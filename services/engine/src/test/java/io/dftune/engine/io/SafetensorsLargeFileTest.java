package io.dftune.engine.io;

import static io.dftune.engine.io.RawSafetensors.littleEndianFloats;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.dftune.engine.nd.TorchCasts;
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
        long wideElements = 560_000_000L; // 2.24 GB as float32
        long padElements = 640_000_000L; // with wide, 4.8 GB of F32 before tail
        long padBegin = wideElements * 4;
        long tailBegin = padBegin + padElements * 4;
        String header = "{\"wide\":{\"dtype\":\"F32\",\"shape\":[" + wideElements + "],\"data_offsets\":[0,"
                + padBegin + "]},\"pad\":{\"dtype\":\"F32\",\"shape\":[" + padElements + "],\"data_offsets\":["
                + padBegin + "," + tailBegin + "]},\"tail\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":["
                + tailBegin + "," + (tailBegin + 16) + "]}}";
        Path file = dir.resolve("big.safetensors");
        RawSafetensors.write(file, header, new byte[0]);
        long dataStart = 8 + header.length();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(dataStart + tailBegin);
            raf.write(littleEndianFloats(1.5f, -2f, 3f, 4.25f));
            raf.seek(dataStart + padBegin - 4);
            raf.write(littleEndianFloats(7f));
        }

        assertThat(SafetensorsReader.describe(file).get("tail").begin()).isEqualTo(tailBegin);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> read = SafetensorsReader.read(file, manager, "tail"::equals);
            assertThat(read.get("tail").toFloatArray()).containsExactly(1.5f, -2f, 3f, 4.25f);
            // Over 2 GiB as float32: read in chunks, here into bfloat16 (1.1 GB).
            Map<String, TensorInfo> wide =
                    Map.of("wide", SafetensorsReader.describe(file).get("wide"));
            NDArray stored =
                    SafetensorsReader.readTensors(wide, manager, name -> true).get("wide");
            assertThat(stored.getShape().size()).isEqualTo(wideElements);
            assertThat(TorchCasts.isBfloat16(stored)).isTrue();
            assertThat(TorchCasts.get()
                            .toFloat32(stored.get(new NDIndex("{}:", wideElements - 4)), manager)
                            .toFloatArray())
                    .containsExactly(0f, 0f, 0f, 7f);
        }
    }
}
