package org.remcg.cli;

import picocli.CommandLine.Command;

/** {@code remcg dynamics} (alias {@code drift}): simulate fine SDEs, fit CG drifts, compare dynamics, run the examples. */
@Command(name = "dynamics", aliases = {"drift"}, mixinStandardHelpOptions = true,
        description = "Dynamical coarse-graining: path-space relative entropy = least-squares drift matching.",
        subcommands = {DynamicsSimulateCommand.class, DynamicsFitCommand.class, DynamicsCompareCommand.class, DynamicsExampleCommand.class})
public final class DynamicsCommand extends CommandGroup {
}
