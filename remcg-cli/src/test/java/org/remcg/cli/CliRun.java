package org.remcg.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line, as the CLI tests make it: the exit code and what it printed on each stream. */
record CliRun(int code, String out, String err) {
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
