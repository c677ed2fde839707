package io.dftune.engine.eval;

import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.generate.GenerationSettings;
import io.dftune.engine.generate.Generator;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.objective.SftObjective;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.train.ResponseLoss;
import io.dftune.engine.train.TokenStats;

import java.util.Arrays;
import java.util.List;

/**
 * Scores a data set with the current weights: token-level metrics over every response token,
 * and greedy-decoding exact match over the examples that carry a reference answer.
 */
public final class Evaluator {
    private final ResponseLoss responseLoss;
    private final ModelTokenizer tokenizer;
    private final int microBatchSize;
    private final int maxNewTokens;
    private final int maxExamples;
    private final AnswerMatcher answers;

    public Evaluator(ResponseLoss responseLoss, ModelTokenizer tokenizer, int microBatchSize, int maxNewTokens,
            int maxExamples, String answerMarker) {
        this.responseLoss = responseLoss;
        this.tokenizer = tokenizer;
        this.microBatchSize = microBatchSize;
        this.maxNewTokens = maxNewTokens;
        this.maxExamples = maxExamples;
        this.answers = new AnswerMatcher(answerMarker);
    }

    public EvalMetrics evaluate(CausalLm model, List<TrainingExample> examples, long step) {
        List<TrainingExample> selected = maxExamples > 0 && examples.size() > maxExamples
                ? examples.subList(0, maxExamples) : examples;
        TokenStats stats = new TokenStats();
        SftObjective nll = new SftObjective();
        for (int start = 0; start < selected.size(); start += microBatchSize) {
            List<TrainingExample> chunk = selected.subList(start, Math.min(selected.size(), start + microBatchSize));
            stats.add(responseLoss.score(model, Batch.of(chunk, tokenizer.padId()), nll));
        }
        Generator generator = new Generator(model, tokenizer.eosId());
        int answered = 0;
        int correct = 0;
        for (TrainingExample example : selected) {
            if (example.answer() == null) {
                continue;
            }
            answered++;
            int[] completion = generator.generate(promptIds(example), GenerationSettings.greedy(maxNewTokens));
            if (answers.matches(tokenizer.decode(completion), example.answer())) {
                correct++;
            }
        }
        return new EvalMetrics(step, stats.nll(), stats.dftLoss(), stats.meanTargetProbability(),
                stats.lowProbabilityRatio(), stats.tokenAccuracy(), stats.tokens(),
                answered == 0 ? Double.NaN : (double) correct / answered, answered);
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
