package io.dftune.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autoregressive decoding from a prompt until EOS or the token limit: {@link #generate} samples
 * one prompt and recomputes the whole prefix at each step (simple and exact, for {@code dftune
 * generate}); {@link #generateGreedy} and {@link #generateSampled} decode many prompts at once with
 * a key/value cache (for evaluation).
 */
public final class Generator {
    private static final float MASKED = -1e9f;
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
     * Greedy completions of several prompts at once, with a key/value cache: the prompts are
     * left-padded into one batch (pad keys masked out, positions counted per row from each row's
     * first real token), run once, then every step feeds one new token per row. Rows that reached
     * EOS or the limit keep decoding until all have, and their extra tokens are dropped. The
     * tokens are those of {@link #generate} with greedy settings, up to float rounding in near ties.
     */
    public List<int[]> generateGreedy(List<int[]> prompts, int maxNewTokens) {
        return decodeBatch(prompts, maxNewTokens, logits -> logits.argMax(-1).toLongArray());
    }

    /**
     * Sampled completions of several prompts at once, decoded as {@link #generateGreedy} decodes
     * them. Row r draws from its own random stream seeded with {@code rowSeeds[r]}, one draw per
     * token, so its completion depends on its prompt and seed, not on the other rows of the batch
     * (up to float rounding of the batched logits, as in greedy decoding). {@code settings.seed()}
     * is not used.
     */
    public List<int[]> generateSampled(List<int[]> prompts, GenerationSettings settings, long[] rowSeeds) {
        if (rowSeeds.length != prompts.size()) {
            throw new IllegalArgumentException(rowSeeds.length + " seeds for " + prompts.size() + " prompts");
        }
        TokenSampler[] samplers = new TokenSampler[rowSeeds.length];
        for (int r = 0; r < samplers.length; r++) {
            samplers[r] = new TokenSampler(settings, rowSeeds[r]);
        }
        return decodeBatch(prompts, settings.maxNewTokens(), logits -> {
            int vocab = (int) logits.getShape().get(1);
            float[] all = logits.toFloatArray();
            long[] next = new long[samplers.length];
            for (int r = 0; r < samplers.length; r++) {
                next[r] = samplers[r].next(all, r * vocab, vocab);
            }
            return next;
        });
    }

    /** Picks each row's next token from the logits of its last position, [rows, vocab]. */
    private interface NextTokens {
        long[] pick(NDArray logits);
    }

    private List<int[]> decodeBatch(List<int[]> prompts, int maxNewTokens, NextTokens nextTokens) {
        int rows = prompts.size();
        List<int[]> completions = new ArrayList<>(rows);
        if (rows == 0) {
            return completions;
        }
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int[] padding = new int[rows];
        for (int r = 0; r < rows; r++) {
            if (prompts.get(r).length == 0) {
                throw new IllegalArgumentException("prompt " + r + " is empty");
            }
            padding[r] = width - prompts.get(r).length;
        }
        int[][] generated = new int[rows][maxNewTokens];
        int[] counts = new int[rows];
        boolean[] done = new boolean[rows];
        int remaining = maxNewTokens > 0 ? rows : 0;
        try (NDManager decoding = model.manager().newSubManager();
                KvCache cache = new KvCache(decoding, model.config().numHiddenLayers(), width + maxNewTokens)) {
            long[] next = prefill(prompts, width, padding, cache, nextTokens);
            for (int step = 0; remaining > 0; step++) {
                for (int r = 0; r < rows; r++) {
                    if (done[r]) {
                        continue;
                    }
                    if (next[r] == eosId) {
                        done[r] = true;
                    } else {
                        generated[r][counts[r]++] = (int) next[r];
                        done[r] = counts[r] == maxNewTokens;
                    }
                    remaining -= done[r] ? 1 : 0;
                }
                if (remaining > 0) {
                    next = decodeStep(next, width + step, padding, cache, nextTokens);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            completions.add(Arrays.copyOf(generated[r], counts[r]));
        }
        return completions;
    }

    /** Runs the left-padded prompts [rows, width]; returns each row's next token. */
    private long[] prefill(List<int[]> prompts, int width, int[] padding, KvCache cache, NextTokens nextTokens) {
        int rows = prompts.size();
        int[][] ids = new int[rows][width];
        long[][] positions = new long[rows][width];
        float[] mask = new float[rows * width * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(prompts.get(r), 0, ids[r], padding[r], prompts.get(r).length);
            for (int query = 0; query < width; query++) {
                positions[r][query] = Math.max(0, query - padding[r]);
                for (int key = 0; key < width; key++) {
                    boolean visible =
                            key <= query && key >= padding[r] && model.config().attendsAcross(query - key);
                    mask[(r * width + query) * width + key] = visible ? 0f : MASKED;
                }
            }
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = model.hiddenStates(
                    scope.create(ids),
                    scope.create(positions),
                    scope.create(mask, new Shape(rows, 1, width, width)),
                    cache);
            return nextTokens.pick(model.logits(hidden.get(":, -1, :")));
        }
    }

    /** Feeds one token per row at column {@code column} of the padded sequence; returns the next tokens. */
    private long[] decodeStep(long[] tokens, int column, int[] padding, KvCache cache, NextTokens nextTokens) {
        int rows = tokens.length;
        int keys = column + 1;
        long[][] positions = new long[rows][1];
        float[] mask = new float[rows * keys];
        for (int r = 0; r < rows; r++) {
            positions[r][0] = column - padding[r];
            for (int key = 0; key < keys; key++) {
                if (key < padding[r] || !model.config().attendsAcross(column - key)) {
                    mask[r * keys + key] = MASKED;
                }
            }
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(tokens, new Shape(rows, 1));
            NDArray hidden = model.hiddenStates(
                    ids, scope.create(positions), scope.create(mask, new Shape(rows, 1, 1, keys)), cache);
            return nextTokens.pick(model.logits(hidden.get(":, -1, :")));
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
