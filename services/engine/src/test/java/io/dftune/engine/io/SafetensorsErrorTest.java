package io.dftune.engine.io;

import static io.dftune.engine.io.RawSafetensors.littleEndianFloats;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsErrorTest {
    @TempDir
    Path dir;

    private Path file(String header, byte[] data) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        RawSafetensors.write(file, header, data);
        return file;
    }

    @Test
    void tooShortFile() throws Exception {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsReader.describe(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("short.safetensors")
                .hasMessageContaining("too short");
    }

    @Test
    void headerLengthBeyondTheFile() throws Exception {
        Path file = dir.resolve("len.safetensors");
        Files.write(file, new byte[] {(byte) 0xff, 0x7f, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertThatThrownBy(() -> SafetensorsReader.describe(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("len.safetensors")
                .hasMessageContaining("invalid header length 32767");
    }

    @Test
    void headerThatIsNotJson() throws Exception {
        Path file = file("{\"a\": nonsense", new byte[0]);
        assertThatThrownBy(() -> SafetensorsReader.describe(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void headerThatIsNotAnObject() throws Exception {
        Path file = file("[1, 2]  ", new byte[0]);
        assertThatThrownBy(() -> SafetensorsReader.describe(file)).hasMessageContaining("not a JSON object");
    }

    @Test
    void unsupportedDtypeNamesTensorAndType() throws Exception {
        Path file = file("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsReader.describe(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("ids")
                .hasMessageContaining("I64")
                .hasMessageContaining("F32, BF16, F16, F64");
    }

    @Test
    void truncatedData() throws Exception {
        Path file =
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", littleEndianFloats(1, 2));
        assertThatThrownBy(() -> SafetensorsReader.describe(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("tensor w")
                .hasMessageContaining("truncated");
    }

    @Test
    void overlappingTensorsNameBoth() throws Exception {
        Path file = file(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}",
                new byte[24]);
        assertThatThrownBy(() -> SafetensorsReader.describe(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("tensors a [0, 16) and b [8, 24) overlap");
    }

    @Test
    void offsetsThatDoNotMatchTheShape() throws Exception {
        Path file = file("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsReader.describe(file))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("tensor w: data_offsets [0, 8] hold 8 bytes but BF16 [2, 3] needs 12");
    }

    @Test
    void negativeOrMissingShape() throws Exception {
        Path file = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]);
        assertThatThrownBy(() -> SafetensorsReader.describe(file)).hasMessageContaining("tensor w: shape");
        Path noShape = file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]);
        assertThatThrownBy(() -> SafetensorsReader.describe(noShape)).hasMessageContaining("tensor w: shape must be");
    }

    @Test
    void directoryWithoutWeights() {
        assertThatThrownBy(() -> SafetensorsReader.describe(dir))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("no model.safetensors or model.safetensors.index.json");
    }

    @Test
    void indexNamingAMissingShard() throws Exception {
        Files.writeString(
                dir.resolve(SafetensorsReader.INDEX_FILE),
                "{\"weight_map\":{\"w\":\"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsReader.describe(dir))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("model.safetensors.index.json")
                .hasMessageContaining("shard model-00001-of-00002.safetensors (for w) does not exist");
    }

    @Test
    void indexNamingATensorTheShardLacks() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsWriter.write(dir.resolve("s1.safetensors"), Map.of("w", manager.ones(new Shape(2))));
        }
        Files.writeString(
                dir.resolve(SafetensorsReader.INDEX_FILE),
                "{\"weight_map\":{\"w\":\"s1.safetensors\",\"v\":\"s1.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsReader.describe(dir))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("tensor v is listed in shard s1.safetensors, but that shard does not hold it");
    }

    @Test
    void indexShardOutsideTheDirectory() throws Exception {
        Files.writeString(dir.resolve(SafetensorsReader.INDEX_FILE), "{\"weight_map\":{\"w\":\"../x.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsReader.describe(dir))
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("must be a file name in the same directory");
    }

    @Test
    void indexWithoutWeightMap() throws Exception {
        Files.writeString(dir.resolve(SafetensorsReader.INDEX_FILE), "{\"metadata\":{}}");
        assertThatThrownBy(() -> SafetensorsReader.describe(dir)).hasMessageContaining("no weight_map object");
    }
}
