package io.dftune.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

final class DataTestSupport {
    private DataTestSupport() {}

    static Path jsonl(Path dir, String name, String... lines) {
        Path f = dir.resolve(name);
        try {
            Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    static int[] of(int... ids) {
        return ids;
    }

    /** A mask of {@code n} copies of {@code value}. */
    static int[] fill(int n, int value) {
        int[] m = new int[n];
        Arrays.fill(m, value);
        return m;
    }
}
