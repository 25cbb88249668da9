package io.fulcrum.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code fulcrum completion}: prints a bash/zsh completion script generated from the command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash (and zsh) completion script for fulcrum.",
                "Use: source <(fulcrum completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("fulcrum", spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
