package io.dftune.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dftune data}: look at a data set as training will see it. */
@Command(
        name = "data",
        description = "Inspect data sets as training sees them.",
        subcommands = {DataPreviewCommand.class})
final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(commandSpec.commandLine(), "name a command: preview");
    }
}
