package org.remcg.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Converter for options naming a file to read: refuses, while the command line is read and before
 * any work, a path that does not exist, is a directory or cannot be read, with one line naming the
 * path, the problem and the option.
 */
public final class InputFile implements CommandLine.ITypeConverter<Path> {

    /** An input file that cannot be read (the message is "path: problem"). */
    static final class Problem extends CommandLine.TypeConversionException {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message);
        }
    }

    @Override
    public Path convert(String value) {
        Path p = parse(value);
        String problem = problem(p);
        if (problem != null) {
            throw new Problem(p + ": " + problem);
        }
        return p;
    }

    /** The path a command-line value names, or a {@link Problem} saying it is none. */
    static Path parse(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new Problem("'" + value + "' is not a valid path");
        }
    }

    /** What keeps {@code p} from being read as a file, or null if nothing does. */
    static String problem(Path p) {
        if (Files.isDirectory(p)) {
            return "is a directory, not a file";
        }
        if (!Files.exists(p)) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
                return "no such file (" + parent + " is not a directory)";
            }
            return "no such file";
        }
        if (!Files.isReadable(p)) {
            return "permission denied (the file is not readable)";
        }
        return null;
    }

    /**
     * Converter for options naming a file to write: refuses, before any work, a path that is a
     * directory or lies under a file, rather than after a long pass when the file is moved into place.
     */
    public static final class Output implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = parse(value);
            if (Files.isDirectory(p)) {
                throw new Problem(p + ": is a directory; give the name of a file to write");
            }
            for (Path up = p.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
                if (Files.exists(up)) {
                    if (!Files.isDirectory(up)) {
                        throw new Problem(p + ": cannot be written, " + up + " is not a directory");
                    }
                    break;
                }
            }
            return p;
        }
    }

    /** Refuses a file to read that is missing, a directory or unreadable, naming it and {@code what} it should be. */
    public static void check(Path p, String what) {
        String problem = problem(p);
        if (problem != null) {
            throw new Main.BadInputException(p + ": " + problem + " (" + what + ")");
        }
    }
}
