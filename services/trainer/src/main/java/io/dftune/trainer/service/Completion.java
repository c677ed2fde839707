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
        int[] ids = new Generator(model, tokenizer.eosId())
                .generate(PromptResponseEncoder.promptIds(tokenizer, prompt), settings);
        return new Completion(tokenizer.decode(ids), ids.length, weightsStep);
    }
}
