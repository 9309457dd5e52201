package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two fits into the same output directory at the same time: the second is refused while the first holds the directory's lock. */
class OutputLockTest {
    @TempDir
    Path dir;

    /** The small fit of {@link FitCliTest}, shortened: output directory {@code out}. */
    Path config(String out) throws Exception {
        return FitCliTest.config(dir, out + ".yaml", out, "", t -> t.replace("steps: 2000", "steps: 400").replace("max_iterations: 4", "max_iterations: 1"));
    }

    static void assertRefused(CliRun r, Path out) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(out.toString()) && r.err().contains("another fit"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(!Files.exists(out.resolve("checkpoint.json")), "the refused fit wrote a checkpoint");
    }

    static void assertRan(CliRun r, Path out) {
        assertTrue(r.code() == 0 || r.code() == 3, r.err());
        assertTrue(Files.exists(out.resolve("model.yaml")), r.err());
    }

    @Test
    void aFitIsRefusedWhileAnotherHoldsTheDirectoryAndRunsAfterwards() throws Exception {
        Path conf = config("shared");
        Path out = dir.resolve("shared");
        Files.createDirectories(out);
        try (OutputLock held = new OutputLock(out)) {
            assertRefused(CliRun.run("fit", conf.toString(), "--quiet"), out);
        }
        assertRan(CliRun.run("fit", conf.toString(), "--quiet"), out);
        // a finished fit released the lock: the next one gets past it (and stops at the checkpoint rule, not at the lock)
        CliRun again = CliRun.run("fit", conf.toString(), "--quiet");
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("holds a checkpoint"), again.err());
    }

    /** Holds the lock on the directory given as the argument until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            new OutputLock(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    /** The lock of another process refuses the fit; once that process is killed, its lock file is stale and blocks nothing. */
    @Test
    void aKilledHoldersLockFileBlocksNothing() throws Exception {
        Path conf = config("other");
        Path out = Files.createDirectories(dir.resolve("other"));
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), out.toString())).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            CliRun refused = CliRun.run("fit", conf.toString(), "--quiet");
            assertRefused(refused, out);
            assertTrue(refused.err().contains("process " + p.pid()), refused.err());
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertTrue(Files.exists(out.resolve(OutputLock.FILE)), "the killed holder's lock file is still there");
        assertRan(CliRun.run("fit", conf.toString(), "--quiet"), out);
    }
}
