package org.remcg.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --quiet} option and the command's output streams, mixed into a command with
 * {@code @Mixin Console console}: {@link #log()} for progress and results, {@link #warn()} for warnings
 * and notes (both silent with {@code --quiet}), {@link #err()} for what is said even then.
 */
final class Console {
    @Option(names = "--quiet", description = "Print nothing but errors.") boolean quiet;
    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    /** Standard output, or nothing with --quiet. */
    PrintWriter log() {
        return quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
    }

    /** Standard error for warnings, or nothing with --quiet. */
    PrintWriter warn() {
        return quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err();
    }

    /** Standard error, whatever --quiet says. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
