package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.cli.config.FitConfig;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.io.Frame;
import org.remcg.io.LammpsDumpReader;

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

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /** g(r) per bin with its block standard error. */
    record Rdf(double[] x, double[] g, double[] se) {
    }

    @Test
    void exportedTablesReproduceTheFittedRdfInLammps() throws Exception {
        Assumptions.assumeTrue(onPath("lmp"), "lmp (LAMMPS) is not on PATH: test skipped");
        // a short fit through the command line (the configuration of FitCliTest, longer runs)
        FitCliTest cli = new FitCliTest();
        cli.dir = dir;
        Path conf = cli.config("fit.yaml", "out", "");
        Files.writeString(conf, Files.readString(conf).replace("steps: 2000, equilibrate: 500, sample_every: 10", "steps: 16000, equilibrate: 1000, sample_every: 20")
                .replace("threads: 2", "threads: 1")
                .replace("max_iterations: 4", "max_iterations: 1"));
        long t0 = System.nanoTime();
        FitCliTest.Run fit = FitCliTest.run("fit", conf.toString(), "--quiet");
        assertEquals(3, fit.code(), "one simulation is a budget, not a converged fit: " + fit.err());
        double tFit = (System.nanoTime() - t0) * 1e-9;
        Path out = dir.resolve("out");
        Rdf model = readCsv(out.resolve("distributions").resolve("pair_W-W.csv"));

        Rdf lammps = lammps(out, conf, 300, 40_000, "run300");
        StringBuilder bins = new StringBuilder();
        double[] chi = compare(model, lammps, bins);
        Rdf cold = lammps(out, conf, 270, 20_000, "run270");
        double[] chiCold = compare(model, cold, new StringBuilder());
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
        assertEquals("x,target,model,model_error,bin_lo,bin_hi,z", lines.get(0));
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
     * Runs LAMMPS with the exported tables at temperature t (K) and measures g(r) of its trajectory with the
     * fit's terms, topology and bins (FitCommand.setup of the same configuration), in 20 blocks.
     */
    Rdf lammps(Path out, Path conf, double t, int steps, String name) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(out.resolve("tables").resolve("lammps"))) {
            for (Path f : files.toList()) {
                Files.copy(f, run.resolve(f.getFileName()));
            }
        }
        FitConfig cfg = FitConfig.read(conf);
        PrintWriter none = new PrintWriter(java.io.Writer.nullWriter());
        FitCommand.Setup s = FitCommand.setup(cfg, none, none);
        // data file: the fit's start configuration in Angstrom, atom types in the order in.tables lists them
        double l = s.box().lx() * 10;
        StringBuilder data = new StringBuilder("remcg fit start configuration\n\n").append(s.top().size()).append(" atoms\n")
                .append(s.top().types()).append(" atom types\n\n");
        data.append(String.format(Locale.ROOT, "0 %.6f xlo xhi%n0 %.6f ylo yhi%n0 %.6f zlo zhi%n%nAtoms # atomic%n%n", l, l, l));
        for (int i = 0; i < s.top().size(); i++) {
            data.append(String.format(Locale.ROOT, "%d %d %.6f %.6f %.6f%n", i + 1, s.top().type()[i] + 1, 10 * s.start()[3 * i],
                    10 * s.start()[3 * i + 1], 10 * s.start()[3 * i + 2]));
        }
        Files.writeString(run.resolve("start.data"), data.toString());
        // dynamics: BAOAB in remcg at 4 fs; LAMMPS' velocity Verlet with a Langevin force has an O(dt^2)
        // configurational bias, so it runs at 2 fs; damp = 1 / friction (5 /ps -> 200 fs)
        String in = String.format(Locale.ROOT, """
                units real
                atom_style atomic
                boundary p p p
                read_data start.data
                include in.tables
                neighbor 2.0 bin
                velocity all create %1$.1f 4928459 mom yes rot no dist gaussian
                fix 1 all nve
                fix 2 all langevin %1$.1f %1$.1f 200.0 12345
                timestep 2.0
                thermo 10000
                run 5000
                dump d all custom %2$d traj.lammpstrj id x y z
                dump_modify d sort id
                run %3$d
                """, t, steps / FRAMES, steps);
        Files.writeString(run.resolve("in.run"), in);
        Process p = new ProcessBuilder("lmp", "-in", "in.run", "-log", "log.lammps").directory(run.toFile()).redirectErrorStream(true).start();
        byte[] text = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "LAMMPS failed:\n" + new String(text, StandardCharsets.UTF_8));
        BlockedMeasurement m = new BlockedMeasurement(s.terms(), s.top(), cfg.reference().exclusionHops(), 20, FRAMES);
        try (LammpsDumpReader r = new LammpsDumpReader(run.resolve("traj.lammpstrj"), LammpsDumpReader.Units.REAL)) {
            Frame f = new Frame();
            r.next(f);   // the first dump is the last equilibration configuration: skip it
            while (r.next(f)) {
                m.accept(f);
            }
        }
        assertEquals(FRAMES, m.frames(), "LAMMPS frames");
        return new Rdf(m.result().distributions().get(0).x(), m.result().distributions().get(0).value(), m.standardErrors().get(0));
    }
}
