package io.dftune.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.dftune.engine.model.CausalLm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /**
     * Greedy completions of several prompts at once: the prompts are right-padded into one batch,
     * each row's next token is the argmax at its own last position (padding after a row cannot
     * change it, the model being causal), and rows leave the batch at EOS or the token limit. The
     * tokens are those of {@link #generate} with greedy settings, up to float rounding in near ties.
     */
    public List<int[]> generateGreedy(List<int[]> prompts, int maxNewTokens) {
        int count = prompts.size();
        int[][] sequences = new int[count][];
        int[] lengths = new int[count];
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] prompt = prompts.get(i);
            if (prompt.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty");
            }
            sequences[i] = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
            lengths[i] = prompt.length;
            if (maxNewTokens > 0) {
                active.add(i);
            }
        }
        while (!active.isEmpty()) {
            long[] next = lastTokenArgmax(active, sequences, lengths);
            List<Integer> stillActive = new ArrayList<>();
            for (int a = 0; a < active.size(); a++) {
                int row = active.get(a);
                if (next[a] == eosId) {
                    continue;
                }
                sequences[row][lengths[row]++] = (int) next[a];
                if (lengths[row] - prompts.get(row).length < maxNewTokens) {
                    stillActive.add(row);
                }
            }
            active = stillActive;
        }
        List<int[]> completions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            completions.add(Arrays.copyOfRange(sequences[i], prompts.get(i).length, lengths[i]));
        }
        return completions;
    }

    /** The argmax token after each active row, from one forward pass over the right-padded rows. */
    private long[] lastTokenArgmax(List<Integer> active, int[][] sequences, int[] lengths) {
        int width = active.stream().mapToInt(row -> lengths[row]).max().orElseThrow();
        int[][] ids = new int[active.size()][width];
        long[] lastPositions = new long[active.size()];
        for (int a = 0; a < active.size(); a++) {
            int row = active.get(a);
            System.arraycopy(sequences[row], 0, ids[a], 0, lengths[row]);
            lastPositions[a] = (long) a * width + lengths[row] - 1;
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = model.hiddenStates(scope.create(ids));
            Shape shape = hidden.getShape();
            NDArray flat = hidden.reshape(shape.get(0) * shape.get(1), shape.get(2));
            NDArray last = Embedding.embedding(scope.create(lastPositions), flat, SparseFormat.DENSE).head();
            return model.logits(last).argMax(-1).toLongArray();
        }
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
