package io.dftune.engine.eval;

import java.util.List;

/**
 * What the model answered to one evaluation prompt: the greedy completion, and the sampled ones
 * (empty without sampling), each with the answer read from it ({@code null}: none) and whether
 * that answer is the reference answer.
 */
public record PromptResult(
        String prompt,
        String answer,
        String greedyCompletion,
        String greedyExtracted,
        boolean greedyCorrect,
        List<String> completions,
        List<String> extracted,
        List<Boolean> correct) {}
