package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One benchmark, run from the orchestrator (which never loads libtorch itself). Returns
 * {@code {"markdown": "...", "rows": [{"what", "measured", "target", "holds"}], ...raw numbers}}.
 */
interface Benchmark {
    ObjectNode run(Context context);
}
