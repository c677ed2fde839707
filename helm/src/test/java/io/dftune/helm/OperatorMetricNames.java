package io.dftune.helm;

import java.util.Set;

/** The metric names the operator exports. */
final class OperatorMetricNames {
    private OperatorMetricNames() {}

    static Set<String> names() {
        // Until the operator module exists: the names of the contract with the operator (issue 4).
        return Set.of("dftune_operator_reconciliations_total", "dftune_operator_finetunejobs",
                "dftune_operator_restarts_total");
    }
}
