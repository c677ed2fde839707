package io.dftune.trainer.cli;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.PromptResponseEncoder;
import io.dftune.engine.generate.GenerationSettings;
import io.dftune.engine.generate.Generator;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.run.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dftune generate}: one completion for a prompt, formatted as in training data. */
@Command(name = "generate", description = "Complete a prompt with a model directory.")
final class GenerateCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Hugging Face model directory, or a PEFT adapter directory (see --base)")
    Path model;

    @Option(
            names = "--base",
            paramLabel = "DIR",
            description = "With an adapter directory: its base model (default: the adapter's base_model_name_or_path)")
    Path base;

    @Option(names = "--prompt", required = true, description = "Prompt text (goes through the chat template).")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        GenerationSettings settings = new GenerationSettings(maxNewTokens, temperature, topP, seed);
        try (NDManager root = EngineStartup.newBaseManager();
                ModelTokenizer tokenizer = ModelTokenizer.load(model);
                CausalLm lm = ModelDirectory.loadModelOrAdapter(model, base, root)) {
            int[] completion = new Generator(lm, tokenizer.eosId())
                    .generate(PromptResponseEncoder.promptIds(tokenizer, prompt), settings);
            System.out.println(tokenizer.decode(completion));
            return ExitCodes.SUCCEEDED;
        }
    }
}
