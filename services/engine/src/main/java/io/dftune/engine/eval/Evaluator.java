package io.dftune.engine.eval;

import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.generate.Generator;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.SftObjective;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.tokenizer.ModelTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Scores a data set with the current weights: token-level metrics over every response token,
 * and greedy-decoding exact match over the examples that carry a reference answer.
 */
public final class Evaluator {
    /**
     * Prompts are decoded together while rows x (longest prompt + max new tokens) stays within this
     * many tokens. It bounds the key/value cache (e.g. 3.7 GB for a 7B model with 4 key/value
     * heads) while small models decode a whole eval set in one batch: each decoding step costs
     * about the same number of operations however many rows it has.
     */
    static final int GENERATION_TOKEN_BUDGET = 32_768;

    private final ResponseLoss responseLoss;
    private final ModelTokenizer tokenizer;
    private final int microBatchSize;
    private final int maxNewTokens;
    private final int maxExamples;
    private final AnswerMatcher answers;

    public Evaluator(
            ResponseLoss responseLoss,
            ModelTokenizer tokenizer,
            int microBatchSize,
            int maxNewTokens,
            int maxExamples,
            String answerMarker) {
        this.responseLoss = responseLoss;
        this.tokenizer = tokenizer;
        this.microBatchSize = microBatchSize;
        this.maxNewTokens = maxNewTokens;
        this.maxExamples = maxExamples;
        this.answers = new AnswerMatcher(answerMarker);
    }

    public EvalMetrics evaluate(CausalLm model, List<TrainingExample> examples, long step) {
        List<TrainingExample> selected =
                maxExamples > 0 && examples.size() > maxExamples ? examples.subList(0, maxExamples) : examples;
        TokenStats stats = new TokenStats();
        SftObjective nll = new SftObjective();
        for (int start = 0; start < selected.size(); start += microBatchSize) {
            List<TrainingExample> chunk = selected.subList(start, Math.min(selected.size(), start + microBatchSize));
            stats.add(responseLoss.score(model, Batch.of(chunk, tokenizer.padId()), nll));
        }
        // Similar prompt lengths decode together: less padding per batch.
        List<TrainingExample> answerable = selected.stream()
                .filter(e -> e.answer() != null)
                .sorted(Comparator.comparingInt((TrainingExample e) -> promptIds(e).length))
                .toList();
        int correct = 0;
        Generator generator = new Generator(model, tokenizer.eosId());
        for (List<TrainingExample> group : generationBatches(answerable, maxNewTokens)) {
            List<int[]> completions = generator.generateGreedy(
                    group.stream().map(Evaluator::promptIds).toList(), maxNewTokens);
            for (int i = 0; i < group.size(); i++) {
                if (answers.matches(
                        tokenizer.decode(completions.get(i)), group.get(i).answer())) {
                    correct++;
                }
            }
        }
        int answered = answerable.size();
        return new EvalMetrics(
                step,
                stats.nll(),
                stats.dftLoss(),
                stats.meanTargetProbability(),
                stats.lowProbabilityRatio(),
                stats.tokenAccuracy(),
                stats.tokens(),
                answered == 0 ? Double.NaN : (double) correct / answered,
                answered);
    }

    /**
     * Consecutive groups of {@code byPromptLength} (sorted by prompt length, shortest first) that
     * each fit {@link #GENERATION_TOKEN_BUDGET}; a prompt too long for it alone is a group of one.
     */
    static List<List<TrainingExample>> generationBatches(List<TrainingExample> byPromptLength, int maxNewTokens) {
        List<List<TrainingExample>> batches = new ArrayList<>();
        int start = 0;
        for (int end = 1; end <= byPromptLength.size(); end++) {
            long rowTokens = promptIds(byPromptLength.get(end - 1)).length + (long) maxNewTokens;
            if (end - start > 1 && (end - start) * rowTokens > GENERATION_TOKEN_BUDGET) {
                batches.add(byPromptLength.subList(start, end - 1));
                start = end - 1;
            }
        }
        if (start < byPromptLength.size()) {
            batches.add(byPromptLength.subList(start, byPromptLength.size()));
        }
        return batches;
    }

    /** The tokens before the first response token: what the model is prompted with. */
    static int[] promptIds(TrainingExample example) {
        int[] mask = example.completionMask();
        int end = 0;
        while (end < mask.length && mask[end] == 0) {
            end++;
        }
        return Arrays.copyOf(example.inputIds(), end);
    }
}
