package io.dftune.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.model.CausalLm;

import java.util.Arrays;

/**
 * Autoregressive decoding from a prompt until EOS or the token limit. Each step recomputes the
 * whole prefix (no key/value cache): simple and exact, and fast enough for the small models and
 * short answers it is used for in evaluation.
 */
public final class Generator {
    private final CausalLm model;
    private final int eosId;

    public Generator(CausalLm model, int eosId) {
        this.model = model;
        this.eosId = eosId;
    }

    /** Returns the generated token ids (without the prompt, without the final EOS). */
    public int[] generate(int[] promptIds, GenerationSettings settings) {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("prompt is empty");
        }
        TokenSampler sampler = new TokenSampler(settings);
        int[] sequence = Arrays.copyOf(promptIds, promptIds.length + settings.maxNewTokens());
        int length = promptIds.length;
        while (length - promptIds.length < settings.maxNewTokens()) {
            int next = sampler.next(lastLogits(Arrays.copyOf(sequence, length)));
            if (next == eosId) {
                break;
            }
            sequence[length++] = next;
        }
        return Arrays.copyOfRange(sequence, promptIds.length, length);
    }

    private float[] lastLogits(int[] prefix) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(new int[][] {prefix});
            NDArray hidden = model.hiddenStates(ids);
            NDArray last = hidden.get("0, -1, :");
            return model.logits(last).toFloatArray();
        }
    }
}
