package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dftune.engine.nd.Constants;

/**
 * Positions and attention mask for rows that hold several sequences back to back (packing). Each sequence
 * counts its positions from 0 and its tokens attend only to earlier tokens of the same sequence (within the
 * sliding window, if the model has one): a block-diagonal causal mask, so every sequence's hidden states are
 * those it gets alone. Padding after the last sequence of a row is one more sequence of its own.
 *
 * @param positions [B, T] int64 position of each token within its sequence
 * @param mask [B, 1, T, T] additive: 0 where a query (row) may attend to a key (column), -1e9 elsewhere, as
 *     {@link CausalLm#hiddenStates(NDArray)}'s causal mask
 */
record PackedRows(NDArray positions, NDArray mask) {

    /** @param segments per row, the lengths of its sequences in order; they may fall short of {@code width} */
    static PackedRows of(NDManager scope, int[][] segments, int width, ModelConfig config) {
        int rows = segments.length;
        long[] positions = new long[rows * width];
        int[] sequence = new int[rows * width];
        for (int b = 0; b < rows; b++) {
            int at = 0;
            int id = 0;
            for (int length : segments[b]) {
                for (int t = 0; t < length; t++) {
                    positions[b * width + at + t] = t;
                    sequence[b * width + at + t] = id;
                }
                at += length;
                id++;
            }
            for (int t = at; t < width; t++) {
                positions[b * width + t] = t - at;
                sequence[b * width + t] = id;
            }
        }
        NDArray position = scope.create(positions, new Shape(rows, width));
        NDArray ids = scope.create(sequence, new Shape(rows, width));
        NDArray query = position.reshape(rows, width, 1);
        NDArray key = position.reshape(rows, 1, width);
        NDArray allowed =
                ids.reshape(rows, width, 1).eq(ids.reshape(rows, 1, width)).logicalAnd(key.lte(query));
        if (config.slidingWindow().isPresent()) {
            NDArray window = scope.create((long) config.slidingWindow().getAsInt());
            allowed = allowed.logicalAnd(query.sub(key).lt(window));
        }
        NDArray blocked = allowed.logicalNot().toType(DataType.FLOAT32, false);
        NDArray mask = blocked.mul(Constants.scalar(scope, -1e9f)).reshape(rows, 1, width, width);
        return new PackedRows(position, mask);
    }
}
