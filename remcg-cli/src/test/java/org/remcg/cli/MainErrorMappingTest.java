package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The one place where failures become messages ({@link Main#report}): the user's problems are exit
 * code 2 and one line naming the user's file, even when the failure happened on our temporary file
 * beside it, or inside a wrapper from another thread; no library class names or Jackson notes.
 */
class MainErrorMappingTest {

    static final Path DIR = Path.of("/data/run");
    static final String TMP = DIR.resolve(".model.yaml.3fa2c0d1e5b6a7f8.tmp").toString();

    static String[] report(Throwable e) {
        StringWriter s = new StringWriter();
        int code = Main.report(e, new PrintWriter(s, true));
        return new String[] {Integer.toString(code), s.toString().strip()};
    }

    static String userLine(Throwable e) {
        String[] r = report(e);
        assertEquals("2", r[0], r[1]);
        assertEquals(1, r[1].lines().count(), r[1]);
        assertTrue(r[1].startsWith("remcg: error: "), r[1]);
        return r[1].substring("remcg: error: ".length());
    }

    @Test
    void aFullDiskOnATemporaryFileNamesTheUsersFile() {
        assertEquals("/data/run/model.yaml: no space left on device", userLine(new FileSystemException(TMP, null, "No space left on device")));
        // as the writers report it from inside a lambda
        assertEquals("/data/run/model.yaml: no space left on device",
                userLine(new UncheckedIOException(new FileSystemException(TMP, null, "No space left on device"))));
        // without any path at all it is still the user's problem, not an internal error
        assertEquals("no space left on device", userLine(new UncheckedIOException(new IOException("No space left on device"))));
    }

    @Test
    void fileProblemsNameTheUsersPath() {
        assertEquals("/data/run/model.yaml: permission denied", userLine(new AccessDeniedException(TMP)));
        // the move of a finished temporary file over a directory of the target's name
        assertEquals("/data/run/model.yaml: is a directory", userLine(new FileSystemException(TMP, DIR.resolve("model.yaml").toString(), "Is a directory")));
        assertEquals("/data/run/out: exists and is not a directory",
                userLine(new java.nio.file.FileAlreadyExistsException(DIR.resolve("out").toString())));
        assertEquals("/data/run/in.gro: no such file or directory", userLine(new java.nio.file.NoSuchFileException(DIR.resolve("in.gro").toString())));
        assertEquals("/data/run/in.gro: permission denied", userLine(new java.io.FileNotFoundException("/data/run/in.gro (Permission denied)")));
        // a temporary name inside any message is replaced by the user's file
        assertEquals("/data/run/model.yaml: cannot write this", userLine(new IllegalArgumentException(TMP + ": cannot write this")));
    }

    @Test
    void noLibraryWording() {
        String line = userLine(new IllegalStateException(new IllegalArgumentException("pair W-W: cutoff must be positive")));
        assertEquals("pair W-W: cutoff must be positive", line);
        line = userLine(new Main.BadInputException("cannot use the drift class: java.lang.ClassNotFoundException: org.x.Drift"));
        assertEquals("cannot use the drift class: org.x.Drift", line);
        line = userLine(new IllegalArgumentException("x.json: Unexpected end-of-input: expected close marker for Array (start marker at "
                + "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])\n at [Source: REDACTED "
                + "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 5]"));
        assertFalse(line.contains("REDACTED") || line.contains("StreamReadFeature") || line.contains("\n"), line);
        assertTrue(line.contains("line 1, column 1"), line);
    }

    @Test
    void outOfMemoryIsOneLineWithAWayOut() {
        String line = userLine(new OutOfMemoryError("Java heap space"));
        assertTrue(line.contains("out of memory") && line.contains("-Xmx"), line);
        assertTrue(userLine(new IllegalStateException(new OutOfMemoryError("Java heap space"))).contains("out of memory"));
    }

    @Test
    void ourBugsStayInternalErrors() {
        String[] r = report(new NullPointerException("x"));
        assertEquals("1", r[0]);
        assertTrue(r[1].startsWith("remcg: internal error: "), r[1]);
        assertNull(Main.userMessage(new IllegalStateException("a broken invariant")));
        assertNull(Main.userMessage(new IOException("lmp exited with status 1")));
    }
}
