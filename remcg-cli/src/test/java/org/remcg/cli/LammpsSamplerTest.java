package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.fit.FitSampler;
import org.remcg.fit.RemFit;
import org.remcg.model.ForceField;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Samples;
import org.remcg.simulate.Engine;
import org.remcg.testing.Peers;
import org.remcg.units.Units;

/**
 * The LAMMPS sampler hands the fit what the built-in engine hands it: at the same parameters (the Boltzmann-inversion
 * start of the 216-bead water-like system of {@link FitCliTest}), the mean per-frame features of a LAMMPS simulation
 * ({@code mpirun -np 2 lmp}) and of a built-in one agree within their block errors, and the same LAMMPS run 10 % colder
 * does not. Its run directories, a retried dead run, and the checks before the first simulation (a program that is
 * not there, a LAMMPS without {@code pair_style table}, bad {@code sampler} keys) are tested here too.
 */
class LammpsSamplerTest {
    @TempDir
    Path dir;

    static final PrintWriter NONE = new PrintWriter(java.io.Writer.nullWriter());

    /** The 216-bead configuration of FitCliTest with the given sampler section and engine settings. */
    Path config(String name, String engine, String sampler) throws Exception {
        FitCliTest cli = new FitCliTest();
        cli.dir = dir;
        Path conf = cli.config(name, "out-" + name, sampler);
        Files.writeString(conf, Files.readString(conf).replace("knots: 28", "knots: 20")
                .replace("engine: {dt: 0.004, friction: 5.0, steps: 2000, equilibrate: 500, sample_every: 10, seed: 3, threads: 2}", engine));
        return conf;
    }

    static String command(List<String> words) {
        return String.join(" ", words);
    }

    /** The sampler the fit would build from the configuration, and the BI start parameters. */
    record Built(FitSampler sampler, double[] theta, Engine engine, FitConfig cfg) {
    }

    Built build(Path conf, StringWriter warnings) throws Exception {
        FitConfig cfg = FitConfig.read(conf);
        FitProblem s = FitProblem.build(cfg, line -> { }, line -> { });
        RemFit.Start start = RemFit.start(s.terms(), s.targets(), cfg.temperature());
        ForceField ff = s.forceField(start.theta());
        Engine engine = new Engine(ff, s.topology(), s.box(), s.startPositions(), Engine.Options.defaults().withThreads(2));
        try (OutputLock lock = new OutputLock(cfg.outputDir())) {
            FitSampler sampler = FitSamplers.create(s, engine, lock, NONE, new PrintWriter(warnings, true));
            return new Built(sampler, start.theta(), engine, cfg);
        }
    }

    /** chi2 per feature of the difference of two runs' feature means, with the block errors of both (10 blocks each). */
    static double chi2(Samples a, Samples b) {
        double[] ma = a.mean();
        double[] mb = b.mean();
        double[] va = a.varianceOfMean(10);
        double[] vb = b.varianceOfMean(10);
        double sum = 0;
        int n = 0;
        for (int k = 0; k < ma.length; k++) {
            double v = va[k] + vb[k];
            if (v > 1e-12 * Math.max(1, ma[k] * ma[k])) {
                double z = (ma[k] - mb[k]) / Math.sqrt(v);
                sum += z * z;
                n++;
            }
        }
        assertTrue(n >= 10, "only " + n + " features vary");
        return sum / n;
    }

    @Test
    void lammpsSamplesWhatTheEngineSamples() throws Exception {
        Peers.mpirun();
        String engine = "engine: {dt: 0.004, friction: 5.0, steps: 4000, equilibrate: 1000, sample_every: 20, seed: 11, threads: 2}";
        Built builtin = build(config("builtin.yaml", engine, ""), new StringWriter());
        Samples reference;
        try (Engine e = builtin.engine()) {
            reference = builtin.sampler().sample(builtin.theta(), 0, 1.0);
        }
        String sampler = "sampler: {kind: lammps, command: \"" + command(Peers.mpirunLammps()) + "\"}\n";
        Built lammps = build(config("lammps.yaml", engine, sampler), new StringWriter());
        lammps.engine().close();
        long t0 = System.nanoTime();
        Samples got = lammps.sampler().sample(lammps.theta(), 0, 1.0);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        assertEquals(reference.frames(), got.frames(), "the same frames");
        double chi = chi2(reference, got);
        // 20 % colder: the same as every potential 25 % stronger (measured 37 with 200 frames; 11 % stronger gave 8 with 300)
        double[] strong = lammps.theta().clone();
        for (int k = 0; k < strong.length; k++) {
            strong[k] /= 0.8;
        }
        Samples cold = lammps.sampler().sample(strong, 1, 1.0);
        double chiCold = chi2(reference, cold);
        System.out.printf(Locale.ROOT, "LAMMPS sampler (%s): %d frames in %.1f s; feature means vs the engine's: chi2/feature %.2f; "
                + "potentials 25 %% stronger: %.1f%n", command(Peers.mpirunLammps()), got.frames(), seconds, chi, chiCold);
        // z: difference / combined block error with 10 blocks each (t-like, ~9 degrees of freedom: E[z^2] ~ 1.3); the 20
        // features are correlated B-spline sums, so their mean z^2 scatters more than sqrt(2/20) would say
        assertTrue(chi < 3.0, "LAMMPS and the engine sample different feature means: chi2/feature " + chi);
        assertTrue(chiCold > 10.0, "the comparison must see potentials 25 % stronger: chi2/feature " + chiCold);

        Path runs = lammps.cfg().outputDir().resolve("runs");
        Path run0 = runs.resolve("sim-0000").resolve("replica-0");
        for (String f : List.of("in.run", "log.lammps", "screen.txt", "start.data", "in.tables", "pair.table", "end.lammpstrj")) {
            assertTrue(Files.isRegularFile(run0.resolve(f)), f);
        }
        assertFalse(Files.exists(run0.resolve("traj.lammpstrj")), "the dump is deleted once read");
        assertTrue(Files.readString(run0.resolve("in.run")).contains("gjf vhalf"));
        assertFalse(Files.exists(lammps.cfg().outputDir().resolve(org.remcg.fit.ChildProcesses.FILE)), "no child left listed");
    }

    /**
     * A short fit with the LAMMPS sampler ends at the built-in engine's model within statistical error: the two fits'
     * validation g(r) (each measured by its own sampler, on the target's 0.002 nm bins) differ by their block errors,
     * and their potentials agree where the target g(r) exceeds 0.3. Bounds from five fits of this configuration (three
     * seeds of the engine, two of LAMMPS): between any two, chi2/bin of the g(r) 1.06-1.32 and the rms potential
     * difference 0.013-0.16 kT (largest difference 0.32 kT), LAMMPS-engine pairs no further apart than engine-engine
     * pairs (except one LAMMPS fit that was 0.08-0.16 kT rms from all others).
     */
    @Test
    void lammpsFitEndsAtTheBuiltInModel() throws Exception {
        Peers.mpirun();
        String engine = "engine: {dt: 0.004, friction: 5.0, steps: 4000, equilibrate: 500, sample_every: 20, seed: 1, threads: 2}";
        String budget = "optimizer: {max_iterations: 12}";
        Path b = config("fit-builtin.yaml", engine, "");
        Files.writeString(b, Files.readString(b).replace("optimizer: {max_iterations: 4}", budget));
        Path l = config("fit-lammps.yaml", engine, "sampler: {kind: lammps, command: \"" + command(Peers.mpirunLammps()) + "\"}\n");
        Files.writeString(l, Files.readString(l).replace("optimizer: {max_iterations: 4}", budget));
        long t0 = System.nanoTime();
        CliRun rb = CliRun.run("fit", b.toString(), "--quiet");
        long t1 = System.nanoTime();
        CliRun rl = CliRun.run("fit", l.toString(), "--quiet");
        long t2 = System.nanoTime();
        Path ob = dir.resolve("out-fit-builtin.yaml");
        Path ol = dir.resolve("out-fit-lammps.yaml");
        FitCliTest.assertFinished(rb, ob);
        FitCliTest.assertFinished(rl, ol);
        FitLammpsTest.Rdf gb = FitLammpsTest.readCsv(ob.resolve("distributions").resolve("pair_W-W.csv"));
        FitLammpsTest.Rdf gl = FitLammpsTest.readCsv(ol.resolve("distributions").resolve("pair_W-W.csv"));
        double[] chi = FitLammpsTest.compare(gb, gl, new StringBuilder());
        List<String> rows = Files.readAllLines(ob.resolve("distributions").resolve("pair_W-W.csv"));
        double[] ub = potential(ob);
        double[] ul = potential(ol);
        double kT = Units.KB * 300;
        double sum = 0;
        double max = 0;
        int n = 0;
        for (int i = 1; i < rows.size(); i++) {
            String[] c = rows.get(i).split(",");
            double r = Double.parseDouble(c[0]);
            if (Double.parseDouble(c[1]) > 0.3 && r < 0.8) {
                double d = (interpolate(ub, r) - interpolate(ul, r)) / kT;
                sum += d * d;
                max = Math.max(max, Math.abs(d));
                n++;
            }
        }
        double rms = Math.sqrt(sum / n);
        System.out.printf(Locale.ROOT, "fits of 216 beads: built-in %.1f s (%s), LAMMPS %.1f s (%s); g(r) chi2/bin %.2f; potentials rms %.3f kT, "
                + "max %.3f kT over %d bins%n", (t1 - t0) * 1e-9, rb.code() == 0 ? "converged" : "budget", (t2 - t1) * 1e-9,
                rl.code() == 0 ? "converged" : "budget", chi[0], rms, max, n);
        assertTrue(n > 100, "bins with g > 0.3: " + n);
        assertTrue(chi[0] < 2.0, "the fits' g(r) differ: chi2/bin " + chi[0]);
        assertTrue(rms < 0.3, "the fits' potentials differ: rms " + rms + " kT");
        assertTrue(max < 0.6, "the fits' potentials differ: max " + max + " kT");
    }

    /** The fitted pair potential as pairs (r nm, U kJ/mol) from tables/gromacs/table_W_W.xvg (column h). */
    static double[] potential(Path out) throws Exception {
        List<double[]> pts = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("tables").resolve("gromacs").resolve("table_W_W.xvg"))) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("@")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            pts.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[5])});
        }
        double[] xy = new double[2 * pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[2 * i] = pts.get(i)[0];
            xy[2 * i + 1] = pts.get(i)[1];
        }
        return xy;
    }

    static double interpolate(double[] xy, double x) {
        int n = xy.length / 2;
        for (int i = 1; i < n; i++) {
            if (xy[2 * i] >= x) {
                double w = (x - xy[2 * i - 2]) / (xy[2 * i] - xy[2 * i - 2]);
                return (1 - w) * xy[2 * i - 1] + w * xy[2 * i + 1];
            }
        }
        return xy[2 * n - 1];
    }

    /** A fake LAMMPS that the first time dies like a killed process (no ERROR of its own), then runs the real one. */
    Path dyingOnce() throws Exception {
        Path marker = dir.resolve("died-once");
        Path script = dir.resolve("lmp-dies-once.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "case \"$1\" in -h) exec lmp -h ;; esac\n"
                + "if [ ! -e " + marker + " ]; then touch " + marker + "; echo 'LAMMPS (fake) starting'; kill -9 $$; fi\n"
                + "exec lmp \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void aDeadRunIsRetriedOnceABlowUpIsTheModels() throws Exception {
        Peers.lammps();
        String engine = "engine: {dt: 0.004, friction: 5.0, steps: 400, equilibrate: 100, sample_every: 20, seed: 5, threads: 2}";
        StringWriter warnings = new StringWriter();
        Built b = build(config("retry.yaml", engine, "sampler: {kind: lammps, command: " + dyingOnce() + "}\n"), warnings);
        b.engine().close();
        // junk of an earlier attempt in the run directory is removed before the run
        Path run0 = b.cfg().outputDir().resolve("runs").resolve("sim-0000").resolve("replica-0");
        Files.createDirectories(run0);
        Files.writeString(run0.resolve("traj.lammpstrj"), "ITEM: TIMESTEP\nhalf a frame");
        Samples s = b.sampler().sample(b.theta(), 0, 1.0);
        assertEquals(20, s.frames());
        assertTrue(warnings.toString().contains("replica 0 of simulation 0 failed") && warnings.toString().contains("running it once more"),
                warnings.toString());
        assertTrue(warnings.toString().contains("exited with code 137") || warnings.toString().contains("exited with code"), warnings.toString());
        // a potential that pulls beads onto each other (-200 kJ/mol at r = 0 rising to 0 at the cutoff): LAMMPS stops with
        // its own error, a sampling failure the trust region handles, not retried
        double[] wild = b.theta().clone();
        for (int k = 0; k < wild.length; k++) {
            wild[k] = -200.0 * (wild.length - 1 - k) / (wild.length - 1);
        }
        String before = warnings.toString();
        IterativeRem.SamplingException e = assertThrows(IterativeRem.SamplingException.class, () -> b.sampler().sample(wild, 1, 1.0));
        assertTrue(e.getMessage().contains("LAMMPS") && e.getMessage().contains("ERROR"), e.getMessage());
        assertEquals(before, warnings.toString(), "a blow-up is not retried");
    }

    @Test
    void badSamplersAreRefusedBeforeTheFirstSimulation() throws Exception {
        Peers.lammps();
        String engine = "engine: {dt: 0.004, friction: 5.0, steps: 400, equilibrate: 100, sample_every: 20, seed: 5, threads: 2}";
        Path fake = dir.resolve("lmp-without-tables.sh");
        Files.writeString(fake, "#!/bin/sh\nlmp -h | sed 's/ table / tabular /g'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Object[][] cases = {
                {"sampler: {kind: lammps, command: no-such-lammps-here}", "'no-such-lammps-here' is not found on PATH"},
                {"sampler: {kind: lammps, command: " + fake + "}", "has no pair_style table"},
                {"sampler: {kind: lammps, command: \"lmp | tee log\"}", "sampler.command"},
                {"sampler: {kind: lammps, command: \"mpirun -np 2 lmp\", ranks: 4}", "sampler.ranks"},
                {"sampler: {kind: lammps, launcher: slurm, command: \"mpirun -np 2 lmp\"}", "give the LAMMPS program alone"},
                {"sampler: {kind: builtin, command: lmp}", "sampler.command"},
                {"sampler: {kind: builtin, launcher: slurm}", "sampler.launcher"},
                {"sampler: {kind: gromacs}", "must be builtin or lammps"},
                {"sampler: {kind: lammps, replicas: 0}", "sampler.replicas"},
        };
        for (Object[] c : cases) {
            Path conf = config("bad.yaml", engine, c[0] + "\n");
            CliRun r = CliRun.run("fit", conf.toString(), "--quiet", "--overwrite");
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertTrue(r.err().contains((String) c[1]), c[0] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(dir.resolve("out-bad.yaml").resolve("checkpoint.json")), "no simulation ran");
        }
        // every replica's frames are kept for reweighting: 10000 replicas of 10^5 frames do not fit
        Path many = config("many.yaml", "engine: {dt: 0.004, friction: 5.0, steps: 2000000, equilibrate: 100, sample_every: 20, seed: 5, threads: 2}",
                "sampler: {kind: builtin, replicas: 10000}\n");
        CliRun m = CliRun.run("fit", many.toString(), "--quiet");
        assertEquals(2, m.code(), m.err());
        assertTrue(m.err().contains("sampler.replicas") && m.err().contains("10000 replicas of 100000 frames"), m.err());
        if (System.getenv("SLURM_JOB_ID") == null) {
            Path conf = config("noalloc.yaml", engine, "sampler: {kind: lammps, launcher: slurm, command: lmp}\n");
            CliRun r = CliRun.run("fit", conf.toString(), "--quiet");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("SLURM_JOB_ID is not set"), r.err());
        }
    }
}
