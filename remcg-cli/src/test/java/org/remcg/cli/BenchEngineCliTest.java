package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.remcg.simulate.EngineBenchmark;
import org.remcg.testing.Peers;

class BenchEngineCliTest {
    @Test
    void roundsReportEachRunAndTheCoreRoundTrip() {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the round trip needs two cores");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bench", "engine", "--steps", "40", "--warmup", "10", "--rounds", "2", "--no-lammps"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        String s = out.toString();
        for (int r = 1; r <= 2; r++) {
            assertTrue(s.contains("round " + r + ": remcg, 1 thread"), s);
            assertTrue(s.contains("round " + r + ": remcg, 2 threads"), s);
            Matcher m = Pattern.compile("round " + r + ": core-to-core round trip\\s+(\\d+) ns before, (\\d+) ns after the round").matcher(s);
            assertTrue(m.find(), s);
            // a round trip is at least two cache-line transfers: more than a few ns, and far below a millisecond unless the
            // machine is badly overloaded
            assertTrue(Integer.parseInt(m.group(1)) >= 5 && Integer.parseInt(m.group(1)) < 1_000_000, m.group());
        }
        assertTrue(!s.contains("median"), "no LAMMPS ratios without LAMMPS: " + s);
    }

    @Test
    void badRoundsAndPiecesAreRejected() {
        for (String[] bad : new String[][] {{"--rounds", "0"}, {"--pieces", "0"}, {"--steps", "5", "--pieces", "6"}}) {
            StringWriter err = new StringWriter();
            String[] args = new String[bad.length + 3];
            args[0] = "bench";
            args[1] = "engine";
            System.arraycopy(bad, 0, args, 2, bad.length);
            args[args.length - 1] = "--no-lammps";
            int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertTrue(code != 0, String.join(" ", bad));
            assertTrue(err.toString().contains(bad[bad.length - 2]), err.toString());
        }
    }

    /**
     * The LAMMPS process driven through its standard input: each piece returns its own loop time (the output LAMMPS
     * buffers in a pipe is pushed out), pieces of different lengths are told apart, and a second piece follows the first.
     */
    @Test
    // a piece whose output stayed in LAMMPS' buffer would wait for it forever (a read from a pipe ignores interrupts: own thread)
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lammpsPiecesAreTimedOneByOne() throws Exception {
        Peers.lammps();
        Path work = Files.createTempDirectory("remcg-bench-lmp-test");
        try (LammpsBenchmarkRun l = LammpsBenchmarkRun.start(2180, 5, work)) {
            assertTrue(l != null, "lmp works (probed) but the benchmark could not start it");
            EngineBenchmark.Timing a = l.run(30);
            EngineBenchmark.Timing b = l.run(7);
            assertEquals(30, a.steps());
            assertEquals(7, b.steps());
            assertTrue(a.seconds() > 0 && a.seconds() < 60 && b.seconds() > 0 && b.seconds() < 60, a + " " + b);
            // 30 steps take longer than 7 (the loop time of the right run was read, not the warm-up's or the run 0's)
            assertTrue(a.seconds() > b.seconds(), a + " " + b);
            assertTrue(a.cpuSeconds() > 0, a.toString());
            assertEquals(2 * 30 + 7, a.plus(b).plus(a).steps());
        }
    }

    @Test
    void roundTripIsPositiveAndFinite() {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the round trip needs two cores");
        double t = EngineBenchmark.coreRoundTripNanos(3);
        assertTrue(t > 1 && t < 1e7, "round trip " + t + " ns");
    }
}
