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
 *
 * <p>The sign of rotate-half ({@code [-x2, x1]}) is folded into the sine table, so a rotation is
 * {@code x * cos + [x2, x1] * signedSin}: one concatenation and no negation per call.
 *
 * <p>The tables are computed as transformers computes them, in float32: the inverse frequencies of
 * {@link RopeSettings}, the angle {@code position * invFreq} rounded to float32, then its cosine and
 * sine. At position 8,000 a float32 angle is off by up to 5e-4 rad from the exact one; computing
 * it more exactly here would differ from the model as trained and as transformers runs it.
 */
final class RotaryEmbedding {
    private final int headDim;
    private final float[] inverseFrequencies;
    private final NDManager manager;
    private NDArray cos;
    private NDArray signedSin;
    private int cachedLength;

    RotaryEmbedding(NDManager manager, int headDim, RopeSettings rope) {
        this.manager = manager;
        this.headDim = headDim;
        this.inverseFrequencies = rope.inverseFrequencies(headDim);
    }

    /**
     * The angles of one forward pass, in {@code scope}: positions 0..length-1 when
     * {@code positions} is null, else {@code positions} [B, T] (int64) per row. The query angles
     * are multiplied by {@code queryScale}, which folds attention's 1/sqrt(headDim) into the
     * rotation instead of a pass over the [T, T] scores.
     */
    Angles angles(NDManager scope, int length, NDArray positions, NDArray queryScale) {
        NDArray c;
        NDArray s;
        if (positions == null) {
            synchronized (this) {
                ensureCache(length);
                c = cos.get("0:" + length);
                s = signedSin.get("0:" + length);
            }
            c.attach(scope);
            s.attach(scope);
            c = c.reshape(1, length, 1, headDim);
            s = s.reshape(1, length, 1, headDim);
        } else {
            int maxPosition = (int) positions.max().getLong();
            synchronized (this) {
                ensureCache(maxPosition + 1);
                c = Embedding.embedding(positions, cos, SparseFormat.DENSE)
                        .head()
                        .expandDims(2);
                s = Embedding.embedding(positions, signedSin, SparseFormat.DENSE)
                        .head()
                        .expandDims(2);
            }
        }
        return new Angles(c, s, c.mul(queryScale), s.mul(queryScale));
    }

    /** Angles [1 or B, T, 1, headDim] for keys, and the same scaled for queries. */
    record Angles(NDArray cos, NDArray sin, NDArray queryCos, NDArray querySin) {

        /** Rotates keys [B, T, heads, headDim]. */
        NDArray rotateKeys(NDArray x) {
            return rotate(x, cos, sin);
        }

        /** Rotates queries [B, T, heads, headDim] and scales them by the query scale. */
        NDArray rotateQueries(NDArray x) {
            return rotate(x, queryCos, querySin);
        }

        private static NDArray rotate(NDArray x, NDArray c, NDArray s) {
            NDList halves = x.split(2, 3);
            NDArray swapped = NDArrays.concat(new NDList(halves.get(1), halves.get(0)), 3);
            return x.mul(c).add(swapped.mul(s));
        }
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
            float invFreq = inverseFrequencies[i];
            for (int pos = 0; pos < capacity; pos++) {
                float angle = pos * invFreq;
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cosValues[pos * headDim + i] = c;
                cosValues[pos * headDim + i + half] = c;
                sinValues[pos * headDim + i] = -s;
                sinValues[pos * headDim + i + half] = s;
            }
        }
        if (cos != null) {
            cos.close();
            signedSin.close();
        }
        cos = manager.create(cosValues, new Shape(capacity, headDim));
        signedSin = manager.create(sinValues, new Shape(capacity, headDim));
        cachedLength = capacity;
    }
}
