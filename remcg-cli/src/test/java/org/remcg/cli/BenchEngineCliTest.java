package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.remcg.simulate.EngineBenchmark;

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
            Matcher m = Pattern.compile("round " + r + ": core-to-core round trip\\s+(\\d+) ns before, (\\d+) ns after").matcher(s);
            assertTrue(m.find(), s);
            // a round trip is at least two cache-line transfers: more than a few ns, and far below a millisecond unless the
            // machine is badly overloaded
            assertTrue(Integer.parseInt(m.group(1)) >= 5 && Integer.parseInt(m.group(1)) < 1_000_000, m.group());
        }
        assertTrue(!s.contains("median"), "no LAMMPS ratios without LAMMPS: " + s);
    }

    @Test
    void badRoundsAreRejected() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bench", "engine", "--rounds", "0", "--no-lammps"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertTrue(code != 0);
        assertTrue(err.toString().contains("--rounds"), err.toString());
    }

    @Test
    void roundTripIsPositiveAndFinite() {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the round trip needs two cores");
        double t = EngineBenchmark.coreRoundTripNanos(3);
        assertTrue(t > 1 && t < 1e7, "round trip " + t + " ns");
    }
}
