package org.remcg.cli;

import static org.remcg.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remcg rdf} on the SPC/E example against the committed {@code gmx rdf} references
 * (examples/spce-water/reference, made by make-reference.sh: 201 frames, 510 waters in a 2.5 nm
 * cubic NVT box, bins of 0.002 nm up to 1.2 nm), plus options and errors.
 */
class RdfCliTest {
    @TempDir
    Path dir;

    static final Path EX = Path.of("..", "examples", "spce-water");
    static final Path CONF = EX.resolve("conf.gro");
    static final Path XTC = EX.resolve("aa.xtc");
    static final Path MAPPING = Path.of("..", "examples", "mapping", "spce.yaml");
    static final int WATERS = 510;
    static final double BOX = 2.5;
    static final int FRAMES = 201;
    static final double WIDTH = 0.002;


    /** Numeric rows of an .xvg file (comment and @ lines skipped). */
    static List<double[]> xvg(Path file) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String s = line.trim();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith("@")) {
                continue;
            }
            String[] p = s.split("\\s+");
            double[] v = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                v[k] = Double.parseDouble(p[k]);
            }
            rows.add(v);
        }
        return rows;
    }

    /**
     * Our g against gmx's, bin by bin. gmx prints 3 decimals (rounding up to 5e-4) and computes
     * distances (and centres of mass) in single precision from the same float coordinates, whose
     * resolution near the box size is delta = 2.4e-7 nm: a pair within about delta of a bin edge
     * can fall into the neighbouring bin there and not here. One pair moves g of bin k by
     * 2 / (N^2 S dV_k) (S = frames / V; like pairs count in both directions), and with C_k pairs
     * in the bin about C_k 4 delta / w of them sit that close to one of its edges, so the net
     * number of flips is of order sqrt(C_k 4 delta / w). Bound per bin: the rounding plus
     * 4 (1 + sqrt(C_k 4 delta / w)) pairs. Two global checks that a normalization error would
     * fail: at least 90 % of the bins agree to the printed digits alone, and beyond 0.3 nm the
     * mean signed difference is below 5e-5 (the printed rounding alone averages to about
     * 1.4e-5 over 450 bins).
     */
    static void compareWithGmx(Path ours, Path reference, String what) throws Exception {
        List<double[]> a = xvg(ours);
        List<double[]> b = xvg(reference);
        assertEquals(600, b.size(), "reference bins");
        assertEquals(b.size(), a.size(), what + ": bins");
        double s = FRAMES / (BOX * BOX * BOX);
        int exact = 0;
        double worstPairs = 0;
        double signed = 0;
        int beyond = 0;
        for (int k = 0; k < b.size(); k++) {
            assertEquals(b.get(k)[0], a.get(k)[0], 1e-9, what + ": r of bin " + k);
            double r1 = Math.max(0, (k - 0.5) * WIDTH);
            double r2 = (k + 0.5) * WIDTH;
            double dv = 4.0 / 3.0 * Math.PI * (r2 * r2 * r2 - r1 * r1 * r1);
            double onePair = 2 / ((double) WATERS * WATERS * s * dv);
            double diff = Math.abs(a.get(k)[1] - b.get(k)[1]);
            double pairsInBin = b.get(k)[1] / onePair;
            double flips = 4 * (1 + Math.sqrt(pairsInBin * 4 * 2.4e-7 / WIDTH));
            assertTrue(diff <= 5.0e-4 + 1e-9 + flips * onePair, what + ": bin " + k + " r = " + b.get(k)[0] + ": remcg " + a.get(k)[1] + ", gmx " + b.get(k)[1]
                    + " (one pair = " + onePair + ")");
            if (diff <= 5.0e-4 + 1e-9) {
                exact++;
            }
            worstPairs = Math.max(worstPairs, (diff - 5e-4) / onePair);
            if (b.get(k)[0] > 0.3) {
                signed += a.get(k)[1] - b.get(k)[1];
                beyond++;
            }
        }
        assertTrue(Math.abs(signed / beyond) < 5e-5, what + ": mean difference " + signed / beyond);
        assertTrue(exact >= 0.9 * b.size(), what + ": only " + exact + " of " + b.size() + " bins agree to gmx's printed digits");
        // the first peak is really there (not two empty files agreeing)
        double peak = 0;
        for (double[] row : a) {
            peak = Math.max(peak, row[1]);
        }
        assertTrue(peak > 2.5, what + ": first peak " + peak);
        System.out.printf("%s: %d of %d bins equal to gmx's 3 printed decimals, the rest within %.1f pairs beyond rounding; mean difference %.2g%n", what,
                exact, b.size(), worstPairs, signed / beyond);
    }

    /** {@code remcg rdf} of the oxygens of the SPC/E example with the given options, written to {@code out}. */
    static CliRun oxygens(Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--pairs", "OW-OW"));
        args.addAll(List.of(options));
        args.addAll(List.of("--out", out.toString()));
        return run(args.toArray(new String[0]));
    }

    @Test
    void oxygenRdfMatchesGmxRdf() throws Exception {
        Path out = dir.resolve("oo.xvg");
        CliRun r = oxygens(out, "--rmax", "1.2", "--bin", "0.002", "--norm", "gromacs", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rdf: 201 frames, 1 pair (OW-OW), 600 bins"), r.out());
        // 201 frames in batches of 16: 13 blocks, the last of 9 frames (at least half a block, so it counts)
        assertTrue(r.out().contains("; standard errors from 13 blocks of 16 frames (the last 9); wrote"), r.out());
        String text = Files.readString(out);
        assertTrue(text.contains("@ s0 legend \"OW-OW\"\n@ s1 legend \"se OW-OW\"\n"), text);
        assertTrue(text.contains("# sets s1..s1 (legends \"se A-B\"): standard errors from 13 blocks of 16 frames (the last 9)"), text);
        for (double[] row : xvg(out)) {
            assertEquals(3, row.length);
            assertTrue(row[1] > 0 ? row[2] > 0 && row[2] < 0.5 : row[2] == 0, "se " + row[2] + " of g " + row[1] + " at r = " + row[0]);
        }
        assertTrue(Files.size(dir.resolve("oo.png")) > 1000, "plot written");
        compareWithGmx(out, EX.resolve("reference/rdf-OW-OW.xvg"), "O-O");
    }

    @Test
    void centreOfMassRdfMatchesGmxRdfMolCom() throws Exception {
        Path out = dir.resolve("com.xvg");
        CliRun r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--mapping", MAPPING.toString(), "--rmax", "1.2", "--bin", "0.002",
                "--norm", "gromacs", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mapped 510 SOL to 510 beads") && r.out().contains("(W-W)"), r.out());
        compareWithGmx(out, EX.resolve("reference/rdf-com.xvg"), "centre of mass");
    }

    /** CSV output, atoms typed by name (all six pairs), identical on 1 and 2 threads; g -> 1 at large r. */
    @Test
    void csvIsIndependentOfThreadsAndTendsToOne() throws Exception {
        Path one = dir.resolve("one.csv");
        Path two = dir.resolve("two.csv");
        for (Path p : List.of(one, two)) {
            CliRun r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--rmax", "1.2", "--bin", "0.01", "--end", "60", "--exclude-hops", "all",
                    "--threads", p == one ? "1" : "2", "--out", p.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.out());
            assertEquals("", r.err());
        }
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
        List<String> lines = Files.readAllLines(one);
        assertEquals("r,g_OW-OW,g_OW-HW1,g_OW-HW2,g_HW1-HW1,g_HW1-HW2,g_HW2-HW2,se_OW-OW,se_OW-HW1,se_OW-HW2,se_HW1-HW1,se_HW1-HW2,se_HW2-HW2",
                lines.get(0));
        assertEquals(121, lines.size());
        // bins [k w, (k+1) w) printed at their centres; intramolecular O-H pairs (0.1 nm) excluded
        double[] mean = new double[6];
        double[] poisson = new double[6];
        int n = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            assertEquals(13, p.length, line);
            double r = Double.parseDouble(p[0]);
            for (int s = 1; s <= 6; s++) {
                double g = Double.parseDouble(p[s]);
                double se = Double.parseDouble(p[s + 6]);
                assertTrue(g > 0 ? se > 0 : se == 0, "se " + se + " of g " + g + ": " + line);
                if (r > 1.0) {
                    // the pair count of the bin over all frames if it were Poisson: mu = g F P dV / V, Var(g) = (1 - dV / V) / mu
                    double dv = 4.0 / 3.0 * Math.PI * (Math.pow(r + 0.005, 3) - Math.pow(r - 0.005, 3));
                    double pairs = s == 1 || s == 4 || s == 6 ? WATERS * (WATERS - 1) / 2.0 : (double) WATERS * WATERS;
                    double v = BOX * BOX * BOX;
                    poisson[s - 1] += se * se * g * 60 * pairs * dv / v / (1 - dv / v);
                }
            }
            if (r < 0.09) {
                for (int s = 1; s <= 6; s++) {
                    assertEquals(0.0, Double.parseDouble(p[s]), 0.0, "no pair closer than 0.09 nm: " + line);
                }
            }
            if (r > 1.0) {
                for (int s = 0; s < 6; s++) {
                    mean[s] += Double.parseDouble(p[s + 1]);
                }
                n++;
            }
        }
        assertEquals(0.005, Double.parseDouble(lines.get(1).split(",")[0]), 1e-12);
        for (int s = 0; s < 6; s++) {
            // 60 frames of 510 waters: the shell averages over 1.0-1.2 nm are within 2 % of 1
            assertEquals(1.0, mean[s] / n, 0.02, "pair " + s + " at large r");
            // 60 frames in batches of 16 make 4 blocks (the last of 12). Beyond 1 nm (g near 1, shells of 0.01 nm) the
            // block scatter is close to that of Poisson pair counts (the ratio is 0.58 to 1.10 for the six pairs here);
            // per bin se^2 / Var is chi^2_3 / 3 (sd 0.82), over the 20 bins about 0.18 if they were independent:
            // 0.3 is 3.8 sd below 1; up to 3 leaves room for frames correlated in time
            assertTrue(poisson[s] / n > 0.3 && poisson[s] / n < 3, "pair " + s + ": se^2 over the Poisson variance " + poisson[s] / n);
        }
    }

    /** Without --blocks the columns are g alone; with too few frames for two blocks a warning says so and no se is written. */
    @Test
    void standardErrorsOffOrTooFewFrames() throws Exception {
        Path out = dir.resolve("few.csv");
        CliRun r = oxygens(out, "--rmax", "1", "--bin", "0.02", "--end", "60", "--blocks", "0");
        assertEquals(0, r.code(), r.err());
        assertEquals("r,g_OW-OW", Files.readAllLines(out).get(0));
        assertFalse(r.out().contains("standard errors"), r.out());
        // 20 frames: a block of 16 and a last one of 4, under half a block
        r = oxygens(out, "--rmax", "1", "--bin", "0.02", "--end", "20");
        assertEquals(0, r.code(), r.err());
        assertEquals("r,g_OW-OW", Files.readAllLines(out).get(0));
        assertTrue(r.err().contains("no standard errors written: 20 frames make fewer than two blocks"), r.err());
        r = oxygens(out, "--rmax", "1", "--bin", "0.02", "--blocks", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--blocks"), r.err());
    }

    @Test
    void errorsNameTheProblem() throws Exception {
        Path out = dir.resolve("x.csv");
        CliRun r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--rmax", "1.3", "--bin", "0.01", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        // every frame has the 2.5 nm box: on several threads the frame named is the first one a worker met
        assertTrue(r.err().contains("aa.xtc") && r.err().matches("(?s).*frame \\d+: distance range 1\\.30* nm exceeds half the shortest box height \\(1\\.250* nm\\).*"),
                r.err());
        r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--rmax", "1.3", "--bin", "0.01", "--threads", "1", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("aa.xtc: frame 0: distance range"), r.err());
        assertFalse(Files.exists(out));

        r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--pairs", "OW-XX", "--rmax", "1", "--bin", "0.01", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("OW-XX") && r.err().contains("HW1"), r.err());

        r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--rmax", "1", "--bin", "0.01", "--out", dir.resolve("x.txt").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(".csv or .xvg"), r.err());

        r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--rmax", "1", "--bin", "0.01", "--exclude-hops", "-1", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--exclude-hops"), r.err());

        r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--rmax", "1", "--bin", "0.01", "--norm", "density", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--norm"), r.err());

        r = run("rdf", "--top", CONF.toString(), "--traj", XTC.toString(), "--rmax", "1", "--bin", "0.01", "--begin", "500", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no frame selected"), r.err());
        assertFalse(Files.exists(out));
    }
}
