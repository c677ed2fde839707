package io.dftune.trainer.service;

import io.dftune.engine.data.PromptResponseEncoder;
import io.dftune.engine.generate.GenerationSettings;
import io.dftune.engine.generate.Generator;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.tokenizer.ModelTokenizer;

/** A prompt's completion, formatted the way training data is, and the step of the weights used. */
public record Completion(String text, int tokens, long weightsStep) {

    public static Completion of(
            CausalLm model, ModelTokenizer tokenizer, long weightsStep, String prompt, GenerationSettings settings) {
        int[] promptIds = PromptResponseEncoder.promptIds(tokenizer, prompt);
        int positions = model.config().maxPositionEmbeddings();
        if (promptIds.length + settings.maxNewTokens() > positions) {
            throw new IllegalArgumentException("the prompt has " + promptIds.length + " tokens; with max_new_tokens "
                    + settings.maxNewTokens() + " that is more than the model's " + positions + " positions");
        }
        int[] ids = new Generator(model, tokenizer.eosId()).generate(promptIds, settings);
        return new Completion(tokenizer.decode(ids), ids.length, weightsStep);
    }
}
