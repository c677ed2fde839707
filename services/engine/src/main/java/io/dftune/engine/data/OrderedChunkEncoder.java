package io.dftune.engine.data;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Encodes chunks of records in the background while the caller reads the next ones, and hands the results to
 * the consumer in the order the chunks were submitted. Reading a file (a Parquet row group's decoding, above
 * all) is serial; without this the encoders would wait for it. At most {@link #AHEAD} chunks are encoded or
 * waiting at a time, which bounds memory.
 *
 * <p>A chunk's records are encoded in parallel ({@code parallelStream} on the common pool, joined by this
 * class's own thread), so the consumer sees them in file order, as reading one by one would.
 */
final class OrderedChunkEncoder<T, R> implements AutoCloseable {
    private static final int AHEAD = 2;

    private final Function<T, R> encode;
    private final Consumer<R> consumer;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dataset-encoder");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<Future<List<R>>> pending = new ArrayDeque<>();

    OrderedChunkEncoder(Function<T, R> encode, Consumer<R> consumer) {
        this.encode = encode;
        this.consumer = consumer;
    }

    /** Queues a copy of the chunk; hands finished results to the consumer once more than AHEAD are pending. */
    void submit(List<T> chunk) {
        List<T> records = List.copyOf(chunk);
        pending.add(worker.submit(() -> records.parallelStream().map(encode).toList()));
        while (pending.size() > AHEAD) {
            takeOldest();
        }
    }

    /** Waits for every submitted chunk and hands its results to the consumer, in order. */
    void finish() {
        while (!pending.isEmpty()) {
            takeOldest();
        }
    }

    private void takeOldest() {
        List<R> results;
        try {
            results = pending.remove().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while encoding the dataset", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
        results.forEach(consumer);
    }

    /** Stops encoding what is still pending (after an error, nothing more is needed). */
    @Override
    public void close() {
        pending.forEach(f -> f.cancel(true));
        worker.shutdownNow();
    }
}
