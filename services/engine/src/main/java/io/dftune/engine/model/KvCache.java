package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The keys and values (after rotary embedding) of every layer for the tokens seen so far, so that
 * incremental decoding runs the model on new tokens only. Each layer's keys and values live in
 * one buffer [B, kvHeads, capacity, headDim] allocated on first use; a step writes its tokens in
 * place and attention reads a view of the filled part, so no step copies what is already cached.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final int capacity;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final long[] lengths;

    /** A cache for {@code layers} layers of at most {@code capacity} tokens per row. */
    public KvCache(NDManager parent, int layers, int capacity) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.lengths = new long[layers];
    }

    /**
     * Appends this step's keys and values [B, kvHeads, t, headDim]; returns views of all keys and
     * values so far, owned by the new keys' manager.
     *
     * @throws IllegalStateException when the cache would hold more than its capacity
     */
    NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
        long start = lengths[layer];
        long end = start + newKeys.getShape().get(2);
        if (end > capacity) {
            throw new IllegalStateException("key/value cache holds " + capacity + " tokens, " + end + " needed");
        }
        if (keys[layer] == null) {
            keys[layer] = buffer(newKeys.getShape());
            values[layer] = buffer(newValues.getShape());
        }
        NDIndex added = new NDIndex(":, :, {}:{}", start, end);
        keys[layer].set(added, newKeys);
        values[layer].set(added, newValues);
        lengths[layer] = end;
        NDIndex filled = new NDIndex(":, :, 0:{}", end);
        NDArray keyView = keys[layer].get(filled);
        NDArray valueView = values[layer].get(filled);
        keyView.attach(newKeys.getManager());
        valueView.attach(newKeys.getManager());
        return new NDArray[] {keyView, valueView};
    }

    private NDArray buffer(Shape stepShape) {
        return manager.zeros(new Shape(stepShape.get(0), stepShape.get(1), capacity, stepShape.get(3)));
    }

    @Override
    public void close() {
        manager.close();
    }
}
