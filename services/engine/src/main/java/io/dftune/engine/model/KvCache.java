package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values (after rotary embedding, before grouped-query repetition) of every layer
 * for the tokens seen so far, so that incremental decoding runs the model on new tokens only.
 * Each array is [B, kvHeads, S, headDim] and belongs to the cache's own manager.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Appends this step's keys and values [B, kvHeads, t, headDim]; returns all keys and values so far. */
    NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
        keys[layer] = extend(keys[layer], newKeys);
        values[layer] = extend(values[layer], newValues);
        return new NDArray[] {keys[layer], values[layer]};
    }

    /** Tokens cached so far (0 before the first step). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    private NDArray extend(NDArray cached, NDArray added) {
        NDArray all = cached == null ? added.duplicate() : cached.concat(added, 2);
        all.attach(manager);
        if (cached != null) {
            cached.close();
        }
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
