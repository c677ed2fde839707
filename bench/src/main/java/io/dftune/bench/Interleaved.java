package io.dftune.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Runs variants in rounds (A B, B A, A B ...), so drift in machine load hits every variant alike
 * and no variant always runs right after another. Each variant times itself (its supplier returns
 * seconds) and the first rounds are discarded.
 */
final class Interleaved {
    private final Map<String, Samples> seconds = new LinkedHashMap<>();
    private final Map<String, Samples> ratios = new LinkedHashMap<>();

    private Interleaved() {}

    static Interleaved run(int warmupRounds, int rounds, Map<String, DoubleSupplier> variants) {
        Interleaved result = new Interleaved();
        variants.keySet().forEach(name -> result.seconds.put(name, new Samples()));
        String first = variants.keySet().iterator().next();
        for (int round = 0; round < warmupRounds + rounds; round++) {
            List<String> order = new ArrayList<>(variants.keySet());
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            Map<String, Double> measured = new HashMap<>();
            for (String name : order) {
                measured.put(name, variants.get(name).getAsDouble());
            }
            Map<String, Double> times = new LinkedHashMap<>();
            variants.keySet().forEach(name -> times.put(name, measured.get(name)));
            boolean warm = round >= warmupRounds;
            Bench.log("round %d%s: %s", round + 1, warm ? "" : " (warm-up)", times);
            if (!warm) {
                continue;
            }
            times.forEach((name, s) -> result.seconds.get(name).add(s));
            times.forEach((name, s) ->
                    result.ratios.computeIfAbsent(name, k -> new Samples()).add(s / times.get(first)));
        }
        return result;
    }

    Samples seconds(String variant) {
        return seconds.get(variant);
    }

    /** Per-round time of {@code variant} over the first variant's time in the same round. */
    Samples roundRatios(String variant) {
        return ratios.get(variant);
    }

    /** Median time of {@code a} over median time of {@code b}. */
    double ratioOfMedians(String a, String b) {
        return seconds.get(a).median() / seconds.get(b).median();
    }
}
