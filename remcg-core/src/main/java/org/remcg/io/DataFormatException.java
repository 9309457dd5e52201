package org.remcg.io;

import java.nio.file.Path;

/**
 * A data file holds something we cannot use. The message always starts with the file and, when the
 * problem sits on a particular line, its 1-based number: {@code "data.txt:17: 'abc' is not a finite number"},
 * or {@code "data.txt: no data points ..."} for problems that concern the file as a whole.
 */
public class DataFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Path is not serializable; losing it on deserialization is acceptable (the message keeps it). */
    private final transient Path file;
    private final long line;
    private final String problem;

    /**
     * @param file    the offending file
     * @param line    1-based line number; zero or negative when the problem is not tied to one line
     * @param problem what is wrong, without the file/line prefix
     */
    public DataFormatException(Path file, long line, String problem) {
        super(format(file, line, problem));
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    private static String format(Path file, long line, String problem) {
        return line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem;
    }

    /** The file the problem was found in. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or a value {@code <= 0} when there is no particular line. */
    public long line() {
        return line;
    }

    /** The bare description of the problem (the message without the location prefix). */
    public String problem() {
        return problem;
    }
}
