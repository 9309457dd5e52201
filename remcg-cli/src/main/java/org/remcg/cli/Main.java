package org.remcg.cli;

import org.remcg.density.DensityDiagnostics;
import org.remcg.io.DataFormatException;
import org.remcg.optimize.InadmissibleModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err));
        cl.setParameterExceptionHandler((ex, a) -> {
            if (ex.getCause() instanceof InputFile.Problem p) {
                // an input file that cannot be read: the user's path and the problem, no usage hint
                err.println("remcg: error: " + p.getMessage() + " (" + argName(ex.getArgSpec()) + ")");
                return BAD_INPUT;
            }
            err.println("remcg: error: " + ex.getMessage());
            err.println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            return report(e, err);
        }
    }

    private static String argName(CommandLine.Model.ArgSpec spec) {
        if (spec instanceof CommandLine.Model.OptionSpec o) {
            return o.longestName();
        }
        return spec == null ? "argument" : spec.paramLabel().replace("<", "").replace(">", "");
    }

    /** Prints a failure and returns its exit code: {@link #BAD_INPUT} for the user's errors, {@link #INTERNAL} otherwise. */
    static int report(Throwable e, PrintWriter err) {
        String user = userMessage(e);
        if (user != null) {
            err.println("remcg: error: " + user);
            return BAD_INPUT;
        }
        err.println("remcg: internal error: " + e);
        if (System.getenv("REMCG_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set REMCG_DEBUG=1 for the stack trace)");
        }
        return INTERNAL;
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof DataFormatException || e instanceof IllegalArgumentException
                || e instanceof InadmissibleModelException || e instanceof DensityDiagnostics.SupportException
                || e instanceof BadInputException || e instanceof org.remcg.io.TrajectoryFormatException;
    }

    /** Reasons the operating system gives for problems with files, disks and permissions (the user's to fix). */
    private static final List<String> ENVIRONMENT = List.of("no space left on device", "disk quota exceeded", "read-only file system",
            "is a directory", "not a directory", "permission denied", "input/output error", "too many open files", "file too large",
            "operation not permitted", "stale file handle");

    /**
     * The one-line message for a problem with the user's input, files or machine: bad input, a file
     * that cannot be read or written (named by the user's path, never one of our temporary files),
     * a full disk, too little memory; null for an internal error.
     */
    static String userMessage(Throwable thrown) {
        Throwable e = unwrap(thrown);
        if (e instanceof OutOfMemoryError) {
            return String.format(Locale.ROOT, "out of memory: this run needs more than the %d MB the Java heap may use; use smaller sizes "
                    + "(bins, frames, steps) or give Java more memory (REMCG_JAVA_OPTS=-Xmx<size> for the remcg launcher)",
                    Runtime.getRuntime().maxMemory() >> 20);
        }
        if (e instanceof FileSystemException f) {
            return clean(describe(f));
        }
        if (e instanceof java.io.FileNotFoundException) {
            // java.io wording: "path (Reason)"
            String m = String.valueOf(e.getMessage());
            int open = m.lastIndexOf(" (");
            return clean(open > 0 && m.endsWith(")") ? m.substring(0, open) + ": " + lower(m.substring(open + 2, m.length() - 1)) : m);
        }
        if (isBadInput(e)) {
            return clean(e.getMessage());
        }
        String m = e.getMessage();
        if (e instanceof java.io.IOException && m != null && ENVIRONMENT.stream().anyMatch(r -> m.toLowerCase(Locale.ROOT).contains(r))) {
            return clean(lower(m));
        }
        return null;
    }

    /** The failure inside wrappers that only carry it across threads or lambdas. */
    private static Throwable unwrap(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            Throwable c = e.getCause();
            boolean wrapper = e instanceof java.io.UncheckedIOException || e instanceof java.util.concurrent.ExecutionException
                    || e instanceof java.util.concurrent.CompletionException || e instanceof CommandLine.ExecutionException
                    || c instanceof OutOfMemoryError || String.valueOf(e.getMessage()).equals(String.valueOf(c));
            if (!wrapper) {
                break;
            }
            e = c;
        }
        return e;
    }

    /** A file problem as "path: what is wrong", naming the user's file where the operation was on a temporary one beside it. */
    static String describe(FileSystemException f) {
        String file = f.getFile();
        String other = f.getOtherFile();
        String path = file;
        if (other != null && (file == null || !org.remcg.io.AtomicFiles.userPath(file).equals(file))) {
            path = other; // a temporary file moved over the user's: name the user's
        }
        path = org.remcg.io.AtomicFiles.userPath(path);
        String what;
        if (f instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (f instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (f instanceof FileAlreadyExistsException) {
            what = "exists and is not a directory";
        } else if (f instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (f instanceof DirectoryNotEmptyException) {
            what = "is a directory that is not empty";
        } else {
            what = f.getReason() == null ? "cannot be read or written" : lower(f.getReason());
        }
        return path == null ? what : path + ": " + what;
    }

    private static final Pattern TEMP_PATH = Pattern.compile("[^\\s'\"(),;]*\\.[0-9a-f]{1,16}\\.tmp\\b");
    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:java|javax|com\\.fasterxml|org\\.yaml|picocli)(?:\\.[A-Za-z_$][\\w$]*)+(?:Exception|Error): ");
    private static final Pattern JACKSON_START = Pattern.compile("\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern JACKSON_SOURCE = Pattern.compile("\\s*at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

    /** One line, without library class names or Jackson source notes, with our temporary file names replaced by the user's. */
    static String clean(String message) {
        if (message == null) {
            return "unknown problem";
        }
        String m = CLASS_PREFIX.matcher(message).replaceAll("");
        m = JACKSON_START.matcher(m).replaceAll("(opened at line $1, column $2)");
        m = JACKSON_SOURCE.matcher(m).replaceAll(" (line $1, column $2)");
        Matcher t = TEMP_PATH.matcher(m);
        StringBuilder sb = new StringBuilder();
        while (t.find()) {
            t.appendReplacement(sb, Matcher.quoteReplacement(org.remcg.io.AtomicFiles.userPath(t.group())));
        }
        t.appendTail(sb);
        return sb.toString().strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String lower(String s) {
        return s.isEmpty() || (s.length() > 1 && Character.isUpperCase(s.charAt(1))) ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** Prints core's warnings as {@code remcg: warning: ...} lines on {@code warn}. */
    static java.util.function.Consumer<String> warnings(PrintWriter warn) {
        return w -> warn.println("remcg: warning: " + w);
    }

    /** A user error detected by the CLI itself. */
    public static final class BadInputException extends RuntimeException {
        public BadInputException(String message) {
            super(message);
        }
    }
}
