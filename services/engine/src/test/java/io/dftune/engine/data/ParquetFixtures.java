package io.dftune.engine.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Parquet files written by an independent implementation (Apache Arrow's JavaScript library and parquet-wasm, run
 * by {@code src/test/node/write-parquet-fixtures.mjs}), each with a JSONL file of the same rows: numina.parquet
 * (NuminaMath's columns, three row groups, snappy), sharegpt.parquet (zstd), alpaca/ (two gzip shards) and
 * alpaca-all.jsonl.
 */
final class ParquetFixtures {
    private ParquetFixtures() {}

    static Path write(Path dir) throws IOException, InterruptedException {
        Path tools = Path.of(System.getProperty("dftune.tools", "../../.tools"));
        Path modules = tools.resolve("parquet-writer/node_modules");
        if (!Files.isDirectory(modules.resolve("parquet-wasm"))) {
            throw new AssertionError("the Parquet writer is not installed at " + modules.toAbsolutePath()
                    + ": run bin/install-parquet-tools (bin/test does)");
        }
        Process node = new ProcessBuilder(
                        "node",
                        Path.of("src/test/node/write-parquet-fixtures.mjs").toString(),
                        modules.toAbsolutePath().toString(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new AssertionError("write-parquet-fixtures.mjs failed: " + output);
        }
        return dir;
    }
}
