package io.dftune.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Map<String, NDArray> sample() {
        Random random = new Random(42);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", random(random, new Shape(3, 5)));
        tensors.put("a.bias", random(random, new Shape(7)));
        tensors.put("m.cube", random(random, new Shape(2, 3, 4)));
        tensors.put("scalar", manager.create(2.5f));
        tensors.put("empty", manager.zeros(new Shape(0, 3)));
        return tensors;
    }

    private NDArray random(Random random, Shape shape) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * 3;
        }
        return manager.create(v, shape);
    }

    @Test
    void f32RoundTripIsExactAndKeepsOrder() throws Exception {
        Map<String, NDArray> written = sample();
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, written);

        Map<String, NDArray> read = SafetensorsReader.read(file, manager);

        assertThat(new ArrayList<>(read.keySet())).containsExactly("z.weight", "a.bias", "m.cube", "scalar", "empty");
        for (String name : written.keySet()) {
            NDArray a = read.get(name);
            assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(a.getShape()).as(name).isEqualTo(written.get(name).getShape());
            assertThat(a.toFloatArray())
                    .as(name)
                    .containsExactly(written.get(name).toFloatArray());
            assertThat(a.getManager()).isSameAs(manager);
        }
    }

    @Test
    void headerIsPaddedToEightBytesWithMetadataFirstAndContiguousOffsets() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, sample());

        long headerLength = RawSafetensors.headerLength(file);
        String header = RawSafetensors.header(file);
        JsonNode json = new ObjectMapper().readTree(header);
        assertThat(headerLength % 8).isZero();
        Iterator<String> names = json.fieldNames();
        assertThat(names.next()).isEqualTo("__metadata__");
        assertThat(json.get("__metadata__").get("format").asText()).isEqualTo("pt");
        long expectedBegin = 0;
        for (String name : List.of("z.weight", "a.bias", "m.cube", "scalar", "empty")) {
            assertThat(names.next()).isEqualTo(name);
            JsonNode offsets = json.get(name).get("data_offsets");
            assertThat(offsets.get(0).asLong()).isEqualTo(expectedBegin);
            expectedBegin = offsets.get(1).asLong();
        }
        assertThat(json.get("scalar").get("shape").size()).isZero();
        assertThat(Files.size(file)).isEqualTo(8 + headerLength + expectedBegin);
    }

    @Test
    void padsTheHeaderWithSpaces() throws Exception {
        boolean padded = false;
        for (int n = 1; n <= 8; n++) {
            Path file = dir.resolve("p" + n + ".safetensors");
            SafetensorsWriter.write(file, Map.of("x".repeat(n), manager.ones(new Shape(1))));
            String header = RawSafetensors.header(file);
            String json = header.stripTrailing();
            assertThat(RawSafetensors.headerLength(file) % 8).isZero();
            assertThat(json).endsWith("}");
            assertThat(header.substring(json.length())).matches(" *");
            padded |= header.length() > json.length();
        }
        assertThat(padded).isTrue();
    }

    @Test
    void writesNoMetadataWhenNoneIsGiven() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, Map.of("x", manager.ones(new Shape(2))), SafetensorsDType.F32, null);
        assertThat(RawSafetensors.header(file)).doesNotContain("__metadata__");
        assertThat(SafetensorsReader.read(file, manager).get("x").toFloatArray())
                .containsExactly(1f, 1f);
    }

    @Test
    void bf16RoundsToNearestEvenAndReadsBackAsFloat32() throws Exception {
        Map<String, NDArray> written = sample();
        Path file = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(file, written, SafetensorsDType.BF16);

        assertThat(RawSafetensors.header(file)).contains("\"dtype\":\"BF16\"");
        assertThat(Files.size(file)).isEqualTo(8 + RawSafetensors.headerLength(file) + 2 * (15 + 7 + 24 + 1));
        Map<String, NDArray> read = SafetensorsReader.read(file, manager);
        for (String name : written.keySet()) {
            float[] original = written.get(name).toFloatArray();
            float[] back = read.get(name).toFloatArray();
            assertThat(read.get(name).getShape()).isEqualTo(written.get(name).getShape());
            for (int i = 0; i < original.length; i++) {
                assertThat(back[i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(original[i])));
                assertThat(back[i]).isCloseTo(original[i], within(Math.abs(original[i]) * 0x1p-8f));
            }
        }
        assertThat(read.get("scalar").getFloat()).isEqualTo(2.5f);
    }

    @Test
    void f16AndF64RoundTrip() throws Exception {
        NDArray values = manager.create(new float[] {1f, -2.5f, 65504f, 1e-5f, 0.1f, 1e6f}, new Shape(2, 3));
        Path f16 = dir.resolve("f16.safetensors");
        Path f64 = dir.resolve("f64.safetensors");
        SafetensorsWriter.write(f16, Map.of("v", values), SafetensorsDType.F16);
        SafetensorsWriter.write(f64, Map.of("v", values), SafetensorsDType.F64);

        float[] half = SafetensorsReader.read(f16, manager).get("v").toFloatArray();
        assertThat(half[0]).isEqualTo(1f);
        assertThat(half[1]).isEqualTo(-2.5f);
        assertThat(half[2]).isEqualTo(65504f);
        assertThat(half[3]).isCloseTo(1e-5f, within(0x1p-24f));
        assertThat(half[4]).isEqualTo(HalfFloats.halfToFloat((short) 0x2E66));
        assertThat(half[5]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(SafetensorsReader.read(f64, manager).get("v").toFloatArray()).containsExactly(values.toFloatArray());
    }

    @Test
    void convertsNonFloat32ArraysBeforeWriting() throws Exception {
        NDArray doubles = manager.create(new double[] {0.5, 1.5, -3});
        Path file = dir.resolve("d.safetensors");
        SafetensorsWriter.write(file, Map.of("d", doubles));
        assertThat(SafetensorsReader.read(file, manager).get("d").toFloatArray())
                .containsExactly(0.5f, 1.5f, -3f);
    }

    @Test
    void readArraysOwnTheirMemoryAndAreWritable() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, Map.of("x", manager.create(new float[] {1, 2, 3})));
        NDArray x = SafetensorsReader.read(file, manager).get("x");
        Files.delete(file);
        x.addi(manager.create(new float[] {1, 1, 1}));
        System.gc();
        assertThat(x.toFloatArray()).containsExactly(2f, 3f, 4f);
    }

    @Test
    void readsOnlyTheTensorsThePredicateAccepts() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, sample());
        Map<String, NDArray> read = SafetensorsReader.read(file, manager, name -> name.endsWith(".bias"));
        assertThat(read).containsOnlyKeys("a.bias");
    }

    @Test
    void describesWithoutReadingData() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, sample(), SafetensorsDType.BF16);
        Map<String, TensorInfo> infos = SafetensorsReader.describe(file);
        TensorInfo cube = infos.get("m.cube");
        assertThat(cube.dtype()).isEqualTo(SafetensorsDType.BF16);
        assertThat(cube.shape()).containsExactly(2, 3, 4);
        assertThat(cube.end() - cube.begin()).isEqualTo(48);
        assertThat(cube.file()).isEqualTo(file);
    }

    @Test
    void readsAShardedCheckpointInWeightMapOrder() throws Exception {
        Map<String, NDArray> all = sample();
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        all.forEach((name, array) -> (name.compareTo("m") < 0 ? first : second).put(name, array));
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first);
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second, SafetensorsDType.BF16);
        Files.writeString(
                dir.resolve(SafetensorsReader.INDEX_FILE),
                "{\"metadata\":{\"total_size\":1},\"weight_map\":{"
                        + "\"a.bias\":\"model-00001-of-00002.safetensors\",\"empty\":\"model-00001-of-00002.safetensors\","
                        + "\"m.cube\":\"model-00002-of-00002.safetensors\",\"scalar\":\"model-00002-of-00002.safetensors\","
                        + "\"z.weight\":\"model-00002-of-00002.safetensors\"}}");

        Map<String, NDArray> read = SafetensorsReader.read(dir, manager);

        assertThat(new ArrayList<>(read.keySet())).containsExactly("a.bias", "empty", "m.cube", "scalar", "z.weight");
        assertThat(read.get("a.bias").toFloatArray())
                .containsExactly(all.get("a.bias").toFloatArray());
        assertThat(read.get("m.cube").getShape()).isEqualTo(new Shape(2, 3, 4));
        assertThat(read.get("z.weight").toFloatArray()[0])
                .isEqualTo(HalfFloats.bf16ToFloat(
                        HalfFloats.floatToBf16(all.get("z.weight").toFloatArray()[0])));
        assertThat(SafetensorsReader.describe(dir)
                        .get("z.weight")
                        .file()
                        .getFileName()
                        .toString())
                .isEqualTo("model-00002-of-00002.safetensors");
    }

    @Test
    void aModelDirectoryWithOneFileReadsModelSafetensors() throws Exception {
        SafetensorsWriter.write(dir.resolve(SafetensorsReader.SINGLE_FILE), Map.of("w", manager.ones(new Shape(2, 2))));
        assertThat(SafetensorsReader.read(dir, manager).get("w").getShape()).isEqualTo(new Shape(2, 2));
    }
}
