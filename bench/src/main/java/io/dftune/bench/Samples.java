package io.dftune.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one quantity: median, quartiles and range. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    /** The values in the order they were added. */
    List<Double> values() {
        return List.copyOf(values);
    }

    void add(double value) {
        values.add(value);
    }

    int count() {
        return values.size();
    }

    double median() {
        return quantile(0.5);
    }

    double min() {
        return quantile(0);
    }

    double max() {
        return quantile(1);
    }

    /** Linear-interpolated quantile, {@code q} in [0, 1]. */
    double quantile(double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double index = q * (sorted.size() - 1);
        int low = (int) Math.floor(index);
        int high = (int) Math.ceil(index);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (index - low);
    }

    /** Every value multiplied by {@code factor}. */
    Samples scaled(double factor) {
        Samples scaled = new Samples();
        values.forEach(v -> scaled.add(v * factor));
        return scaled;
    }

    /** "median (IQR q1..q3, min..max, n)" with {@code format} applied to each number. */
    String describe(String format) {
        return String.format(
                Locale.ROOT,
                format + " (IQR " + format + "-" + format + ", range " + format + "-" + format + ", n=%d)",
                median(),
                quantile(0.25),
                quantile(0.75),
                min(),
                max(),
                count());
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("median", median());
        node.put("q1", quantile(0.25));
        node.put("q3", quantile(0.75));
        node.put("min", min());
        node.put("max", max());
        node.put("n", count());
        values.forEach(node.putArray("values")::add);
        return node;
    }
}
