package io.dftune.engine.objective;

import io.dftune.engine.data.Batch;
import java.util.Arrays;

/**
 * The (position, token) pairs of a padded batch whose loss counts: token t of a row is a target
 * when its completion mask is 1, and it is predicted from position t-1. Positions index the
 * batch flattened to [B*T].
 */
final class ResponseTargets {
    private final long[] positions;
    private final long[] tokenIds;

    private ResponseTargets(long[] positions, long[] tokenIds) {
        this.positions = positions;
        this.tokenIds = tokenIds;
    }

    static ResponseTargets of(Batch batch) {
        int[][] ids = batch.inputIds();
        int[][] mask = batch.completionMask();
        int count = Math.toIntExact(batch.responseTokenCount());
        long[] positions = new long[count];
        long[] tokenIds = new long[count];
        int next = 0;
        for (int row = 0; row < ids.length; row++) {
            int width = ids[row].length;
            for (int t = 1; t < width; t++) {
                if (mask[row][t] == 1) {
                    positions[next] = (long) row * width + t - 1;
                    tokenIds[next] = ids[row][t];
                    next++;
                }
            }
        }
        return new ResponseTargets(positions, tokenIds);
    }

    int count() {
        return positions.length;
    }

    long[] positions(int start, int end) {
        return Arrays.copyOfRange(positions, start, end);
    }

    long[] tokenIds(int start, int end) {
        return Arrays.copyOfRange(tokenIds, start, end);
    }
}
