package org.remcg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.remcg.model.ModelFile;
import org.remcg.io.Frame;
import org.remcg.io.GroReader;
import org.remcg.io.GroWriter;
import org.remcg.io.LammpsDataReader;
import org.remcg.io.Structure;
import org.remcg.io.XtcWriter;
import org.remcg.simulate.BlowUpException;
import org.remcg.simulate.Engine;
import org.remcg.simulate.IdentitySwaps;
import org.remcg.simulate.Integrator;
import org.remcg.simulate.MonteCarlo;
import org.remcg.simulate.SampledDistributions;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code remcg simulate}: runs the built-in engine on a model file and a start configuration. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a coarse-grained model with the built-in engine; write thermo.csv, rdf.csv, bonded distributions and final.gro.")
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--model", converter = InputFile.class, required = true, description = "Model file (YAML, or JSON by extension).") Path model;
    @Option(names = "--conf", converter = InputFile.class, required = true,
            description = "Start configuration: GRO (bead names = types, residues = molecules) or LAMMPS data file.")
    Path conf;
    @Mixin RunOptions.OutputDirectory output;
    @Option(names = "--steps", defaultValue = "10000", description = "Production steps (default ${DEFAULT-VALUE}).") long steps;
    @Option(names = "--equilibrate", defaultValue = "0", description = "Steps before production, not recorded (default ${DEFAULT-VALUE}).")
    long equilibrate;
    @Option(names = "--dt", defaultValue = "0.002",
            description = "Time step in ps (default ${DEFAULT-VALUE}); for --integrator mc the largest trial displacement in nm.")
    double dt;
    @Option(names = "--friction", defaultValue = "1.0", description = "Langevin collision rate in 1/ps (default ${DEFAULT-VALUE}).") double friction;
    @Option(names = "--temperature", description = "Temperature in K (default: the model's).") Double temperature;
    @Mixin RunOptions.Seed seed;
    @Option(names = "--threads", description = "Threads for the forces (default: the CPUs this process may use, at most 2 blocks of work).")
    Integer threads;
    @Option(names = "--sample-every", defaultValue = "100", description = "Record a frame every K steps (default ${DEFAULT-VALUE}).") int sampleEvery;
    @Option(names = "--integrator", defaultValue = "langevin",
            description = "langevin (BAOAB, default), nve (velocity Verlet) or mc (Metropolis, one sweep = one step).")
    String integrator;
    @Option(names = "--swap-every", defaultValue = "" + org.remcg.fit.problem.FitConfig.DEFAULT_SWAP_EVERY,
            description = "Langevin only: an identity-swap sweep every K steps in mixtures of one-bead molecules (0: none; default ${DEFAULT-VALUE}; "
                    + "none with nve or mc).")
    int swapEvery;
    @Option(names = "--skin", defaultValue = "0.1", description = "Verlet skin in nm (default ${DEFAULT-VALUE}).") double skin;
    @Option(names = "--xtc-every", defaultValue = "0", description = "Also write traj.xtc every K steps (a multiple of --sample-every; 0: no "
            + "trajectory). Written as the run goes: a stopped run keeps its frames so far.")
    int xtcEvery;
    @Mixin Console console;

    /** Most steps of --steps or --equilibrate (their sum must not overflow). */
    static final long MAX_STEPS = 1_000_000_000_000_000L;

    @Override
    public Integer call() throws Exception {
        if (steps < 0 || equilibrate < 0 || sampleEvery < 1 || !(dt > 0) || xtcEvery < 0 || (xtcEvery > 0 && xtcEvery % sampleEvery != 0)) {
            throw new Main.BadInputException("--steps and --equilibrate must be >= 0, --sample-every >= 1, --dt > 0, --xtc-every a multiple of --sample-every");
        }
        Limits.range("--steps", steps, 0, MAX_STEPS);
        Limits.range("--equilibrate", equilibrate, 0, MAX_STEPS);
        Limits.range("--swap-every", swapEvery, 0, Integer.MAX_VALUE);
        Limits.threads("--threads", threads);
        // thermo.csv is kept in memory until the end: about 80 characters a sample, growth and copies included
        Limits.memory("--steps / --sample-every: " + (steps / sampleEvery + 1) + " recorded samples", (steps / sampleEvery + 1) * 250.0,
                "raise --sample-every");
        ModelFile.Model m = ModelFile.read(model);
        double temp = temperature != null ? temperature : m.forceField().temperature();
        CgTopology top;
        Box box;
        double[] x;
        Topology groTop;
        String name = conf.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gro")) {
            Structure s = GroReader.readStructure(conf);
            if (s.frame().box == null) {
                throw new Main.BadInputException(conf + ": the start configuration has no box");
            }
            groTop = s.topology();
            top = m.topology(groTop);
            box = s.frame().box;
            x = s.frame().x.clone();
        } else {
            LammpsDataReader.Data d = LammpsDataReader.read(conf);
            top = d.topology();
            box = d.box();
            x = d.positions();
            String[] names = new String[top.size()];
            String[] res = new String[top.size()];
            int[] resnr = new int[top.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = top.name(i);
                res[i] = "MOL";
                resnr[i] = top.molecule()[i] + 1;
            }
            groTop = new Topology(names, res, resnr, top.mass());
        }
        PrintWriter log = console.log();
        int nthreads = threads != null ? threads : org.remcg.system.Cpus.available();
        Engine.Options opt = Engine.Options.defaults().withThreads(nthreads).withSkin(skin);
        StringBuilder thermo = new StringBuilder("step,potential,temperature,pressure\n");
        List<SampledDistributions.Distribution> rdfs;
        List<SampledDistributions.Distribution> bonded;
        long t0 = System.nanoTime();
        Frame frame = new Frame();
        frame.resize(top.size(), false, false);
        frame.box = box;
        java.nio.file.Files.createDirectories(output.dir);
        // written frame by frame into the file itself: a killed run leaves a valid trajectory of the frames so far
        XtcWriter xtc = xtcEvery > 0 ? XtcWriter.streaming(output.dir.resolve("traj.xtc")) : null;
        try (Engine e = new Engine(m.forceField(), top, box, x, opt)) {
            log.printf(Locale.ROOT, "%d particles, %d bead types, box %s, T = %.2f K, %s, %d thread(s)%n", top.size(), top.types(), box, temp,
                    integrator, e.threads());
            log.flush();
            SampledDistributions dist = new SampledDistributions(e, SampledDistributions.DEFAULT_BINS);
            Engine.Observer obs = (eng, s) -> {
                dist.frame(eng, s);
                thermo.append(s.step() - equilibrate).append(',').append(s.potential()).append(',').append(s.temperature()).append(',')
                        .append(s.pressure()).append('\n');
                if (xtc != null && (s.step() - equilibrate) % xtcEvery == 0) {
                    eng.positions(frame.x);
                    frame.step = s.step() - equilibrate;
                    frame.time = frame.step * dt;
                    try {
                        xtc.write(frame);
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                }
            };
            long all = equilibrate + steps;
            MonteCarlo mcRun = null;
            try (ProgressDisplay pd = console.quiet ? ProgressDisplay.none()
                    : ProgressDisplay.terminal() ? ProgressDisplay.bar("simulate", all, null) : ProgressDisplay.lines("simulate", all, log)) {
                switch (integrator) {
                    case "langevin", "nve" -> {
                        e.initializeVelocities(temp, seed.value);
                        Integrator in = integrator.equals("nve") ? new Integrator.VelocityVerlet(dt) : new Integrator.Langevin(dt, friction, temp, seed.value);
                        IdentitySwaps swaps = new IdentitySwaps(e.topology(), e.forceField(), temp);
                        java.util.SplittableRandom swapRng = new java.util.SplittableRandom(seed.value + 2);
                        // swaps change the potential energy at fixed kinetic energy: a canonical move, none in NVE
                        int every = integrator.equals("nve") ? 0 : swapEvery;
                        if (equilibrate > 0) {
                            swaps.run(e, in, equilibrate, 0, null, every, swapRng, pd::at);
                        }
                        swaps.run(e, in, steps, sampleEvery, obs, every, swapRng, done -> pd.at(equilibrate + done));
                        if (swaps.tried() > 0) {
                            log.printf(Locale.ROOT, "identity swaps: %d tried, %.3f accepted%n", swaps.tried(), swaps.acceptance());
                        }
                    }
                    case "mc" -> {
                        MonteCarlo mc = new MonteCarlo(e, temp, dt, seed.value);
                        if (equilibrate > 0) {
                            mc.run(equilibrate, 0, null, pd::at);
                        }
                        mc.run(steps, sampleEvery, obs, done -> pd.at(equilibrate + done));
                        mcRun = mc;
                    }
                    default -> throw new Main.BadInputException("--integrator must be langevin, nve or mc, got '" + integrator + "'");
                }
            } catch (BlowUpException ex) {
                throw new Main.BadInputException("the simulation blew up: " + ex.getMessage());
            }
            if (mcRun != null) {
                log.printf(Locale.ROOT, "Monte Carlo acceptance %.3f%n", mcRun.acceptance());
            }
            rdfs = dist.rdfs();
            bonded = dist.bondedDistributions();
            e.positions(frame.x);
        } finally {
            if (xtc != null) {
                xtc.close();
            }
        }
        double secs = (System.nanoTime() - t0) * 1e-9;
        AtomicFiles.writeString(output.dir.resolve("thermo.csv"), thermo.toString());
        if (!rdfs.isEmpty()) {
            StringBuilder sb = new StringBuilder("r");
            for (SampledDistributions.Distribution d : rdfs) {
                sb.append(",g_").append(d.name());
            }
            sb.append('\n');
            for (int b = 0; b < rdfs.get(0).x().length; b++) {
                sb.append(String.format(Locale.ROOT, "%.6f", rdfs.get(0).x()[b]));
                for (SampledDistributions.Distribution d : rdfs) {
                    sb.append(',');
                    if (!Double.isNaN(d.y()[b])) {
                        sb.append(String.format(Locale.ROOT, "%.6g", d.y()[b]));
                    }
                }
                sb.append('\n');
            }
            AtomicFiles.writeString(output.dir.resolve("rdf.csv"), sb.toString());
        }
        for (SampledDistributions.Distribution d : bonded) {
            String kind = d.name().substring(0, d.name().indexOf(' '));
            StringBuilder sb = new StringBuilder(kind.equals("bond") ? "r,p\n" : "theta,p\n");
            for (int b = 0; b < d.x().length; b++) {
                sb.append(String.format(Locale.ROOT, "%.6f,%.6g%n", d.x()[b], d.y()[b]));
            }
            AtomicFiles.writeString(output.dir.resolve(d.name().replace(' ', '_') + ".csv"), sb.toString());
        }
        try (GroWriter w = new GroWriter(output.dir.resolve("final.gro"), groTop, "remcg simulate final configuration", false)) {
            frame.step = equilibrate + steps;
            w.write(frame);
        }
        log.printf(Locale.ROOT, "%d steps in %.2f s (%.1f steps/s); wrote %s%n", equilibrate + steps, secs, (equilibrate + steps) / secs, output.dir);
        return 0;
    }
}
