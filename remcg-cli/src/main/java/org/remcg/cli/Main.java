package org.remcg.cli;

import org.remcg.density.DensityDiagnostics;
import org.remcg.io.DataFormatException;
import org.remcg.optimize.InadmissibleModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code remcg} command. */
@Command(name = "remcg", mixinStandardHelpOptions = true, version = "remcg 0.1.0",
        description = "Relative-entropy coarse-graining: fit models whose Boltzmann distribution is closest to the data.",
        subcommands = {FitCommand.class, SimulateCommand.class, MapCommand.class, RdfCommand.class, DistCommand.class, DensityCommand.class,
                DynamicsCommand.class, BenchCommand.class, ValidateCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** Exit code for bad input (files, options, models that cannot be used). */
    public static final int BAD_INPUT = 2;
    /** Exit code for an internal failure. */
    public static final int INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code remcg} without a command: the usage, on standard error, and exit code 2. */
    @Override
    public Integer call() {
        return missingCommand(spec);
    }

    /** A command that needs a subcommand, given none: says so and prints its usage on standard error; exit code 2. */
    static int missingCommand(CommandLine.Model.CommandSpec spec) {
        CommandLine cl = spec.commandLine();
        cl.getErr().println("remcg: error: no command given to '" + spec.qualifiedName() + "'");
        cl.usage(cl.getErr());
        return BAD_INPUT;
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable e = ex;
            if (isBadInput(e)) {
                err.println("remcg: error: " + e.getMessage());
                return BAD_INPUT;
            }
            err.println("remcg: internal error: " + e);
            if (System.getenv("REMCG_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("(set REMCG_DEBUG=1 for the stack trace)");
            }
            return INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("remcg: error: " + ex.getMessage());
            err.println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof DataFormatException || e instanceof IllegalArgumentException
                || e instanceof InadmissibleModelException || e instanceof DensityDiagnostics.SupportException
                || e instanceof java.nio.file.NoSuchFileException || e instanceof BadInputException
                || e instanceof org.remcg.io.TrajectoryFormatException;
    }

    /** A user error detected by the CLI itself. */
    public static final class BadInputException extends RuntimeException {
        public BadInputException(String message) {
            super(message);
        }
    }
}
