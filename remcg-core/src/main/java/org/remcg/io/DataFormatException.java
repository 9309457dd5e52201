package org.remcg.io;

import java.nio.file.Path;

/** Bad content in an input file; the message names the file and, where there is one, the 1-based line. */
public class DataFormatException extends Exception {
    private final transient Path file;
    private final long line;
    private final String problem;

    public DataFormatException(Path file, long line, String problem) {
        super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem is not tied to a line. */
    public long line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
