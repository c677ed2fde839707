package io.dftune.engine.nd;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether bfloat16 products are faster than float32 ones on a device, measured once per JVM and
 * device by timing x W^T, shaped like a model's linear layer, in both types. Devices differ most
 * where it matters: a CPU without bfloat16 instructions ran bfloat16 products about 4.5x slower
 * than float32, one with AVX512-BF16 about 3.9x faster.
 */
public final class Bfloat16MatmulProbe {
    private static final Shape INPUT = new Shape(512, 1024);
    private static final Shape WEIGHT = new Shape(1024, 1024);
    private static final int WARMUPS = 2;
    private static final int TIMED = 5;
    private static final Map<Device, Timing> MEASURED = new HashMap<>();

    private Bfloat16MatmulProbe() {}

    /**
     * Median seconds per product in each type.
     *
     * @param float32Seconds float32 inputs and weight
     * @param bfloat16Seconds both in bfloat16
     */
    public record Timing(double float32Seconds, double bfloat16Seconds) {
        /**
         * bfloat16 must win clearly: in a model each product also casts its input to bfloat16 and its
         * result back, memory traffic the probe does not time.
         */
        static final double REQUIRED_SPEEDUP = 1.25;

        public double bfloat16Speedup() {
            return float32Seconds / bfloat16Seconds;
        }

        public boolean bfloat16Faster() {
            return bfloat16Speedup() >= REQUIRED_SPEEDUP;
        }

        /** For the run's first line, e.g. "a bfloat16 product ran 3.9x as fast as float32 here". */
        public String describe() {
            return String.format(
                    Locale.ROOT, "a bfloat16 product ran %.1fx as fast as float32 here", bfloat16Speedup());
        }
    }

    /** The device's timing, measured on the first call for each device. */
    public static synchronized Timing measure(Device device) {
        return MEASURED.computeIfAbsent(device, Bfloat16MatmulProbe::time);
    }

    private static Timing time(Device device) {
        TorchCasts casts = TorchCasts.get();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray x = manager.randomUniform(-1, 1, INPUT);
            NDArray weight = manager.randomUniform(-1, 1, WEIGHT);
            double float32 = medianSeconds(() -> Linear.linear(x, weight).head());
            NDArray x16 = casts.toBfloat16(x, manager);
            NDArray weight16 = casts.toBfloat16(weight, manager);
            double bfloat16 = medianSeconds(() -> Linear.linear(x16, weight16).head());
            return new Timing(float32, bfloat16);
        }
    }

    private static double medianSeconds(Supplier<NDArray> product) {
        double[] seconds = new double[TIMED];
        for (int i = -WARMUPS; i < TIMED; i++) {
            long start = System.nanoTime();
            try (NDArray result = product.get()) {
                // Reading a value back waits for devices that compute asynchronously.
                result.isNaN().any().getBoolean();
            }
            if (i >= 0) {
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
        }
        Arrays.sort(seconds);
        return seconds[TIMED / 2];
    }
}
