package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.LammpsRun;
import org.remcg.testing.Peers;

/**
 * The LAMMPS tables a fit exports reproduce the fit's own final g(r) in LAMMPS (Debian package,
 * {@code lmp}, skipped when it is missing). A short {@code remcg fit} of 216 water-like beads
 * writes its outputs; LAMMPS then runs as a user would run it: {@code units real}, a data file with
 * the beads, {@code include in.tables} in a directory holding the copied {@code tables/lammps/}
 * files, Langevin dynamics at the fit's temperature and friction. g(r) of the LAMMPS trajectory,
 * measured with the fit's own bins, is compared bin by bin with the model column of
 * {@code distributions/pair_W-W.csv}, with errors from block averages of both runs (the fit's
 * validation run, 64 ps in 10 blocks, gives them in its model_error column; LAMMPS 80 ps in 20 blocks). The same tables run 10 % colder (the same
 * as a potential 11 % too strong, the size of a units slip such as kJ for kcal being far larger)
 * must fail the comparison, which shows it can.
 */
class FitLammpsTest {
    @TempDir
    Path dir;

    /** Frames of every LAMMPS run (after equilibration). */
    static final int FRAMES = 2000;

    /** g(r) per bin with its block standard error. */
    record Rdf(double[] x, double[] g, double[] se) {
    }

    @Test
    void exportedTablesReproduceTheFittedRdfInLammps() throws Exception {
        Peers.lammps();
        // a short fit through the command line (the configuration of FitCliTest, longer runs)
        Path conf = FitCliTest.config(dir, "fit.yaml", "out", "", t -> t.replace("steps: 2000, equilibrate: 500, sample_every: 10", "steps: 16000, equilibrate: 1000, sample_every: 20")
                .replace("threads: 2", "threads: 1")
                .replace("max_iterations: 4", "max_iterations: 1"));
        long t0 = System.nanoTime();
        CliRun fit = CliRun.run("fit", conf.toString(), "--quiet");
        assertEquals(3, fit.code(), "one simulation is a budget, not a converged fit: " + fit.err());
        double tFit = (System.nanoTime() - t0) * 1e-9;
        Path out = dir.resolve("out");
        Rdf model = readCsv(out.resolve("distributions").resolve("pair_W-W.csv"));

        Rdf lammps = lammps(out, conf, 300, 40_000, "run300");
        StringBuilder bins = new StringBuilder();
        double[] chi = compare(model, lammps, bins);
        Rdf cold = lammps(out, conf, 270, 20_000, "run270");
        double[] chiCold = compare(model, cold, new StringBuilder());
        // remcg validate: the same tables in LAMMPS, compared with the target on its bins
        CliRun v = CliRun.run("validate", conf.toString(), "--steps", "20000", "--out", dir.resolve("validate").toString());
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("pair W-W") && v.out().contains("max |target - model|"), v.out());
        List<String> rows = Files.readAllLines(dir.resolve("validate").resolve("pair_W-W.csv"));
        assertEquals("x,target,model,model_error,bin_lo,bin_hi,z,target_error", rows.get(0));
        assertEquals(Files.readAllLines(out.resolve("distributions").resolve("pair_W-W.csv")).size(), rows.size(), "the same bins as the fit's");
        // LAMMPS that cannot start is the user's problem, said in one line
        CliRun bad = CliRun.run("validate", conf.toString(), "--steps", "200", "--lmp", "no-such-lmp-here", "--out",
                dir.resolve("bad").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("no-such-lmp-here"), bad.err());
        System.out.printf(Locale.ROOT, "remcg fit %.1f s; LAMMPS vs remcg g(r): chi2/bin %.2f over %d bins, max |z| %.2f; "
                + "LAMMPS at 270 K: chi2/bin %.1f, max |z| %.1f%n", tFit, chi[0], (int) chi[2], chi[1], chiCold[0], chiCold[1]);
        // z = (g_lammps - g_remcg) / combined block error. The block errors come from 10 and 20 blocks, so z is
        // t-distributed with about 9-19 degrees of freedom: E[z^2] ~ 1.1-1.3. Neighbouring bins are correlated,
        // so the mean of ~40 values scatters more than sqrt(2/40); 2.0 is far in the tail for matching runs.
        assertTrue(chi[0] < 2.0, "LAMMPS g(r) differs from the fit's: chi2 per bin " + chi[0] + "\n" + bins);
        assertTrue(chi[1] < 5.0, "LAMMPS g(r) differs from the fit's: max |z| " + chi[1] + "\n" + bins);
        assertTrue(chiCold[0] > 4.0, "the comparison must see a 10 % temperature change: chi2 per bin " + chiCold[0]);
    }

    /**
     * chi2 per bin, max |z| and the number of bins compared (bins where either g exceeds 0.05); the
     * bin-by-bin table goes to {@code table}.
     */
    static double[] compare(Rdf a, Rdf b, StringBuilder table) {
        assertEquals(a.x().length, b.x().length, "same bins");
        double chi2 = 0;
        double maxZ = 0;
        int n = 0;
        for (int k = 0; k < a.x().length; k++) {
            assertEquals(a.x()[k], b.x()[k], 1e-6, "bin centre " + k);
            if (Math.max(a.g()[k], b.g()[k]) < 0.05) {
                continue;
            }
            double se = Math.sqrt(a.se()[k] * a.se()[k] + b.se()[k] * b.se()[k]);
            assertTrue(se > 0, "bin " + k + " has no error estimate");
            double z = (a.g()[k] - b.g()[k]) / se;
            table.append(String.format(Locale.ROOT, "r %.3f  remcg %.4f +- %.4f  lammps %.4f +- %.4f  z %.2f%n", a.x()[k], a.g()[k], a.se()[k],
                    b.g()[k], b.se()[k], z));
            chi2 += z * z;
            maxZ = Math.max(maxZ, Math.abs(z));
            n++;
        }
        assertTrue(n >= 20, "only " + n + " bins compared");
        return new double[] {chi2 / n, maxZ, n};
    }

    static Rdf readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertEquals("x,target,model,model_error,bin_lo,bin_hi,z,target_error", lines.get(0));
        int n = lines.size() - 1;
        double[] x = new double[n];
        double[] g = new double[n];
        double[] se = new double[n];
        for (int i = 0; i < n; i++) {
            String[] c = lines.get(i + 1).split(",");
            x[i] = Double.parseDouble(c[0]);
            g[i] = Double.parseDouble(c[2]);
            se[i] = Double.parseDouble(c[3]);
        }
        return new Rdf(x, g, se);
    }

    /**
     * Runs LAMMPS with the exported tables at temperature t (K) ({@link LammpsRun}: 5000 equilibration steps
     * of 2 fs, Langevin damping 200 fs) and measures g(r) of its trajectory with the fit's terms, topology and
     * bins (the FitProblem of the same configuration), in 20 blocks.
     */
    Rdf lammps(Path out, Path conf, double t, int steps, String name) throws Exception {
        FitConfig cfg = FitConfig.read(conf);
        FitProblem s = FitProblem.build(cfg, line -> { }, warning -> { });
        BlockedMeasurement m = new BlockedMeasurement(s.terms(), s.topology(), s.exclusionHops(), 20, FRAMES);
        LammpsRun.Settings ls = new LammpsRun.Settings(List.of("lmp"), 0.002, 5.0, steps, 5000, steps / FRAMES, 4928459, t);
        long frames = LammpsRun.run(dir.resolve(name), out.resolve("tables").resolve("lammps"), s.topology(), s.box(), s.startPositions(), ls, m::accept);
        assertEquals(FRAMES, frames, "LAMMPS frames");
        return new Rdf(m.result().distributions().get(0).x(), m.result().distributions().get(0).value(), m.standardErrors().get(0));
    }
}
