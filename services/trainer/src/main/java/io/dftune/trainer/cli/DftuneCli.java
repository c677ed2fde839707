package io.dftune.trainer.cli;

import io.dftune.engine.train.RunFailures;
import io.dftune.spec.run.ErrorText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dftune}: fine-tune, evaluate and sample Hugging Face-format causal LMs with DFT. */
@Command(
        name = "dftune",
        mixinStandardHelpOptions = true,
        versionProvider = ComputeSetup.class,
        description = "Fine-tune language models with Dynamic Fine-Tuning (DFT).",
        subcommands = {
            RunCommand.class,
            ServeCommand.class,
            EvalCommand.class,
            GenerateCommand.class,
            MakeExampleCommand.class,
            CompareCommand.class,
            DataCommand.class,
            PlanCommand.class
        })
public final class DftuneCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                commandSpec.commandLine(),
                "name a command: run, serve, eval, generate, plan, make-example, compare or data");
    }

    /** Runs a command line and returns its exit code; failures print one line on stderr. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new DftuneCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("dftune: " + ErrorText.oneLine(e));
            return RunFailures.exitCode(e);
        });
        return cli.execute(args);
    }
}
