package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rotary position embeddings in Hugging Face's rotate-half convention: the two halves of each
 * head vector form the (real, imaginary) pairs, and {@code cos}/{@code sin} repeat the
 * frequencies twice.
 */
final class RotaryEmbedding {
    private final int headDim;
    private final double theta;
    private final NDManager manager;
    private NDArray cos;
    private NDArray sin;
    private int cachedLength;

    RotaryEmbedding(NDManager manager, int headDim, double theta) {
        this.manager = manager;
        this.headDim = headDim;
        this.theta = theta;
    }

    /**
     * Rotates {@code x} of shape [B, heads, T, headDim] by position: 0..T-1 when {@code positions}
     * is null, else {@code positions} [B, T] (int64) per row.
     */
    NDArray apply(NDArray x, NDArray positions) {
        NDArray c;
        NDArray s;
        if (positions == null) {
            int length = (int) x.getShape().get(2);
            synchronized (this) {
                ensureCache(length);
                c = cos.get("0:" + length);
                s = sin.get("0:" + length);
            }
            c.attach(x.getManager());
            s.attach(x.getManager());
        } else {
            int length = (int) positions.max().getLong() + 1;
            synchronized (this) {
                ensureCache(length);
                c = Embedding.embedding(positions, cos, SparseFormat.DENSE).head().expandDims(1);
                s = Embedding.embedding(positions, sin, SparseFormat.DENSE).head().expandDims(1);
            }
        }
        NDList halves = x.split(2, 3);
        NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
        return x.mul(c).add(rotated.mul(s));
    }

    private void ensureCache(int length) {
        if (cos != null && length <= cachedLength) {
            return;
        }
        int capacity = Math.max(length, cachedLength * 2);
        int half = headDim / 2;
        float[] cosValues = new float[capacity * headDim];
        float[] sinValues = new float[capacity * headDim];
        for (int i = 0; i < half; i++) {
            double invFreq = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            for (int pos = 0; pos < capacity; pos++) {
                double angle = pos * invFreq;
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cosValues[pos * headDim + i] = c;
                cosValues[pos * headDim + i + half] = c;
                sinValues[pos * headDim + i] = s;
                sinValues[pos * headDim + i + half] = s;
            }
        }
        if (cos != null) {
            cos.close();
            sin.close();
        }
        cos = manager.create(cosValues, new Shape(capacity, headDim));
        sin = manager.create(sinValues, new Shape(capacity, headDim));
        cachedLength = capacity;
    }
}
