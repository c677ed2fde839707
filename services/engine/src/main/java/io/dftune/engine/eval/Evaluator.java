package io.dftune.engine.eval;

import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.generate.GenerationSettings;
import io.dftune.engine.generate.Generator;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.SftObjective;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.EvalSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * Scores a data set with the current weights: token-level metrics over every response token,
 * greedy-decoding accuracy@1 over the examples that carry a reference answer and, with
 * {@code spec.eval.samples} k &gt; 0, k sampled completions per such example (avg@k, pass@k, maj@k).
 */
public final class Evaluator {
    /**
     * Rows are decoded together while rows x (longest prompt + max new tokens) stays within this
     * many tokens. It bounds the key/value cache (e.g. 3.7 GB for a 7B model with 4 key/value
     * heads) while small models decode a whole eval set in one batch: each decoding step costs
     * about the same number of operations however many rows it has.
     */
    static final int GENERATION_TOKEN_BUDGET = 32_768;

    private final ResponseLoss responseLoss;
    private final ModelTokenizer tokenizer;
    private final int microBatchSize;
    private final int maxExamples;
    private final EvalSpec settings;
    private final AnswerGrader grader;

    public Evaluator(
            ResponseLoss responseLoss,
            ModelTokenizer tokenizer,
            int microBatchSize,
            int maxExamples,
            EvalSpec settings,
            String answerMarker) {
        this.responseLoss = responseLoss;
        this.tokenizer = tokenizer;
        this.microBatchSize = microBatchSize;
        this.maxExamples = maxExamples;
        this.settings = settings;
        this.grader = AnswerGrader.of(settings, answerMarker);
    }

    public EvalMetrics evaluate(CausalLm model, List<TrainingExample> examples, long step) {
        return run(model, examples, step).metrics();
    }

    /** The metrics and, in data-set order, what the model answered to each example with a reference answer. */
    public Evaluation run(CausalLm model, List<TrainingExample> examples, long step) {
        List<TrainingExample> selected =
                maxExamples > 0 && examples.size() > maxExamples ? examples.subList(0, maxExamples) : examples;
        TokenStats stats = new TokenStats();
        SftObjective nll = new SftObjective();
        for (int start = 0; start < selected.size(); start += microBatchSize) {
            List<TrainingExample> chunk = selected.subList(start, Math.min(selected.size(), start + microBatchSize));
            stats.add(responseLoss.score(model, Batch.of(chunk, tokenizer.padId()), nll));
        }
        // Data-set indices of the answerable examples; similar prompt lengths decode together: less padding.
        List<Integer> answerable = IntStream.range(0, selected.size())
                .filter(i -> selected.get(i).answer() != null)
                .boxed()
                .sorted(Comparator.comparingInt(i -> promptIds(selected.get(i)).length))
                .toList();
        Generator generator = new Generator(model, tokenizer.eosId());
        Map<Integer, String> greedy = new TreeMap<>();
        Map<Integer, List<String>> sampled = new TreeMap<>();
        int k = settings.getSamples();
        for (List<Integer> group :
                generationBatches(answerable, i -> promptIds(selected.get(i)).length, settings.getMaxNewTokens(), 1)) {
            List<int[]> completions = generator.generateGreedy(
                    group.stream().map(i -> promptIds(selected.get(i))).toList(), settings.getMaxNewTokens());
            for (int g = 0; g < group.size(); g++) {
                greedy.put(group.get(g), tokenizer.decode(completions.get(g)));
            }
        }
        if (k > 0) {
            for (List<Integer> group : generationBatches(
                    answerable, i -> promptIds(selected.get(i)).length, settings.getMaxNewTokens(), k)) {
                sample(generator, selected, group).forEach(sampled::put);
            }
        }
        List<PromptResult> results = new ArrayList<>();
        greedy.forEach((i, completion) -> results.add(result(selected.get(i), completion, sampled.get(i))));
        return new Evaluation(metrics(step, stats, results, k), results);
    }

    /** k sampled completions of each example of the group, row (example i, sample j) seeded by (seed, i, j). */
    private Map<Integer, List<String>> sample(
            Generator generator, List<TrainingExample> examples, List<Integer> group) {
        int k = settings.getSamples();
        List<int[]> prompts = new ArrayList<>();
        long[] seeds = new long[group.size() * k];
        for (int g = 0; g < group.size(); g++) {
            for (int j = 0; j < k; j++) {
                prompts.add(promptIds(examples.get(group.get(g))));
                seeds[g * k + j] = rowSeed(settings.getSeed(), group.get(g), j);
            }
        }
        GenerationSettings sampling = new GenerationSettings(
                settings.getMaxNewTokens(), settings.getTemperature(), settings.getTopP(), settings.getSeed());
        List<int[]> completions = generator.generateSampled(prompts, sampling, seeds);
        Map<Integer, List<String>> byExample = new TreeMap<>();
        for (int g = 0; g < group.size(); g++) {
            List<String> texts = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                texts.add(tokenizer.decode(completions.get(g * k + j)));
            }
            byExample.put(group.get(g), texts);
        }
        return byExample;
    }

    /** A seed per (example, sample), independent of which other rows share the batch. */
    static long rowSeed(long seed, int example, int sample) {
        return new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L * (((long) example << 20) + sample + 1)).nextLong();
    }

    private PromptResult result(TrainingExample example, String greedyCompletion, List<String> samples) {
        AnswerGrader.Grade greedy = grader.grade(greedyCompletion, example.answer());
        List<String> completions = samples == null ? List.of() : samples;
        List<String> extracted = new ArrayList<>();
        List<Boolean> correct = new ArrayList<>();
        for (String completion : completions) {
            AnswerGrader.Grade grade = grader.grade(completion, example.answer());
            extracted.add(grade.extracted());
            correct.add(grade.correct());
        }
        String prompt = example.prompt() != null ? example.prompt() : tokenizer.decode(promptIds(example));
        return new PromptResult(
                prompt,
                example.answer(),
                greedyCompletion,
                greedy.extracted(),
                greedy.correct(),
                List.copyOf(completions),
                Collections.unmodifiableList(extracted),
                List.copyOf(correct));
    }

    private EvalMetrics metrics(long step, TokenStats stats, List<PromptResult> results, int k) {
        int answered = results.size();
        double greedyCorrect =
                results.stream().filter(PromptResult::greedyCorrect).count();
        double avg = 0;
        double pass = 0;
        double majority = 0;
        for (PromptResult r : results) {
            if (k > 0) {
                int c = SampleScores.countCorrect(r.correct());
                avg += (double) c / k;
                pass += SampleScores.passAtK(k, c, k);
                majority += SampleScores.majorityCorrect(r.extracted(), r.correct(), grader) ? 1 : 0;
            }
        }
        return new EvalMetrics(
                step,
                stats.nll(),
                stats.dftLoss(),
                stats.meanTargetProbability(),
                stats.lowProbabilityRatio(),
                stats.tokenAccuracy(),
                stats.tokens(),
                answered == 0 ? Double.NaN : greedyCorrect / answered,
                answered,
                k,
                answered == 0 || k == 0 ? Double.NaN : avg / answered,
                answered == 0 || k == 0 ? Double.NaN : pass / answered,
                answered == 0 || k == 0 ? Double.NaN : majority / answered);
    }

    /**
     * Consecutive groups of {@code byPromptLength} (sorted by prompt length, shortest first) whose
     * rows ({@code rowsPerItem} per item) fit {@link #GENERATION_TOKEN_BUDGET}; an item too long
     * for it alone is a group of one.
     */
    static <T> List<List<T>> generationBatches(
            List<T> byPromptLength, ToIntFunction<T> promptLength, int maxNewTokens, int rowsPerItem) {
        List<List<T>> batches = new ArrayList<>();
        int start = 0;
        for (int end = 1; end <= byPromptLength.size(); end++) {
            long rowTokens = promptLength.applyAsInt(byPromptLength.get(end - 1)) + (long) maxNewTokens;
            if (end - start > 1 && (long) (end - start) * rowsPerItem * rowTokens > GENERATION_TOKEN_BUDGET) {
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
