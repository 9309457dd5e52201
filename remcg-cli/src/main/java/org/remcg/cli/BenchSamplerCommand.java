package org.remcg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.remcg.fit.FitSampler;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.model.ForceField;
import org.remcg.simulate.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code remcg bench sampler}: the wall time of one fit simulation with the sampler a configuration names (its
 * {@code sampler} section: built-in or LAMMPS, replicas, launcher), at the fit's start parameters or at a fitted
 * model's. The simulation is the fit's own (the same call the loop makes: tables and input written, runs, frames read
 * back and their features computed), repeated; the first run is reported apart (it includes the JVM's warm-up).
 */
@Command(name = "sampler", mixinStandardHelpOptions = true,
        description = "Time one full-length fit simulation with the sampler of a fit configuration (built-in or LAMMPS, replicas).")
public final class BenchSamplerCommand extends BenchmarkCommand {
    @Parameters(index = "0", paramLabel = "CONFIG",
            description = "A fit configuration (as for remcg fit); its output.dir holds LAMMPS run directories.")
    Path config;
    @Option(names = "--model", description = "Parameters from this fit's checkpoint.json (its last accepted point) instead of the start.")
    Path checkpoint;
    @Option(names = "--repeat", defaultValue = "3", description = "Timed simulations after the first (default ${DEFAULT-VALUE}).") int repeat;
    @Option(names = "--length", defaultValue = "1.0", description = "Fraction of the full simulation length (default ${DEFAULT-VALUE}).")
    double length;

    @Override
    public Integer call() throws Exception {
        Limits.range("--repeat", repeat, 1, 1000);
        if (!(length > 0 && length <= 1)) {
            throw new Main.BadInputException("--length must be in (0, 1], got " + length);
        }
        PrintWriter out = out();
        PrintWriter none = new PrintWriter(java.io.Writer.nullWriter());
        InputFile.check(config, "CONFIG");
        if (checkpoint != null) {
            InputFile.check(checkpoint, "--model");
        }
        FitConfig cfg = FitConfig.read(config);
        FitProblem p = FitProblem.build(cfg, line -> { }, line -> { });
        double[] theta = checkpoint != null
                ? org.remcg.optimize.Checkpoint.read(checkpoint).state().theta()
                : p.start(line -> { }).theta();
        ForceField ff = p.forceField(theta);
        try (Engine engine = p.engine(ff); OutputLock lock = new OutputLock(cfg.outputDir())) {
            FitSampler sampler = FitSamplers.create(p, engine, lock, none, none);
            out.printf(Locale.ROOT, "sampler benchmark: %s, %d beads, sampler %s x %d replica(s), length %.3g, %s%n", config,
                    p.topology().size(), cfg.sampler().kind(), cfg.sampler().replicas(), length, machine());
            double first = Timings.of(1, k -> sampler.sample(theta, 0, length)).seconds()[0];
            out.printf(Locale.ROOT, "first simulation (with warm-up): %.2f s%n", first);
            out.flush();
            Timings<?> t = Timings.of(repeat, k -> sampler.sample(theta, k + 1, length));
            out.printf(Locale.ROOT, "one simulation: %s (%d MD steps each)%n", t.spread("%.2f"), sampler.steps(length));
        }
        return 0;
    }
}
