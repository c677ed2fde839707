package io.dftune.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/** The float32 matmul rate libtorch reaches on this CPU at the configured thread count. */
record MatmulPeak(List<List<String>> rows, double best, int repeats) {

    static MatmulPeak measure(NDManager parent, int[] sizes, int repeats) {
        List<List<String>> rows = new ArrayList<>();
        double best = 0;
        for (int n : sizes) {
            try (NDManager scope = parent.newSubManager()) {
                NDArray a = scope.randomNormal(new Shape(n, n));
                NDArray b = scope.randomNormal(new Shape(n, n));
                Samples flops = new Samples();
                for (int i = 0; i < repeats + 2; i++) {
                    long started = System.nanoTime();
                    NDArray c = a.matMul(b);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    c.close();
                    if (i >= 2) {
                        flops.add(2.0 * n * n * n / seconds);
                    }
                }
                best = Math.max(best, flops.median());
                rows.add(List.of(
                        Integer.toString(n),
                        Doc.f("%.1f (range %.1f-%.1f)", flops.median() / 1e9, flops.min() / 1e9, flops.max() / 1e9)));
            }
        }
        return new MatmulPeak(rows, best, repeats);
    }

    /**
     * A probe of the peak at this moment, for interleaving with the steps it is compared with:
     * each call times {@code repeats} n x n products and returns the fastest one's seconds
     * ({@link #flops} turns that into FLOP/s). Its operands live in {@code manager}.
     */
    static DoubleSupplier probe(NDManager manager, int n, int repeats) {
        NDArray a = manager.randomNormal(new Shape(n, n));
        NDArray b = manager.randomNormal(new Shape(n, n));
        return () -> {
            double fastest = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long started = System.nanoTime();
                a.matMul(b).close();
                fastest = Math.min(fastest, (System.nanoTime() - started) / 1e9);
            }
            return fastest;
        };
    }

    /** FLOP/s of one n x n product that took {@code seconds}. */
    static double flops(int n, double seconds) {
        return 2.0 * n * n * n / seconds;
    }
}
