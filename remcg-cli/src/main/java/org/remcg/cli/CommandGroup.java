package org.remcg.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code bench}, {@code density}, {@code dynamics}): run alone, it says which there are. */
abstract class CommandGroup implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingCommand(spec);
    }
}
