package org.remcg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.FitTerm;
import org.remcg.fit.LammpsRun;
import org.remcg.fit.TargetDistribution;
import org.remcg.fit.problem.DistributionComparison;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.optimize.IterativeRem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code remcg validate CONFIG}: runs the LAMMPS tables a finished fit exported, in LAMMPS, and compares the
 * distributions of that run with the targets on the targets' own bins, with block errors. The check that the
 * exported files (not only remcg's engine) reproduce the target.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Run a fitted model's exported LAMMPS tables in LAMMPS and compare its distributions with the targets on their bins.")
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", converter = InputFile.class,
            description = "The fit configuration (YAML); its output.dir must hold the fit's tables/lammps.")
    Path config;
    @Option(names = "--lmp", defaultValue = "lmp", description = "How to start LAMMPS, e.g. \"mpirun -np 2 lmp\" (default: ${DEFAULT-VALUE}).")
    String lmp;
    @Option(names = "--steps", description = "Production steps (default: twice engine.steps of the configuration, at half its dt).") Long steps;
    @Option(names = "--equilibrate", description = "Equilibration steps (default: twice engine.equilibrate).") Long equilibrate;
    @Option(names = "--dt", description = "Time step in ps (default: half engine.dt: LAMMPS' Langevin integrator has a larger configurational bias "
            + "than remcg's BAOAB).")
    Double dt;
    @Option(names = "--blocks", defaultValue = "10", description = "Blocks for the standard errors (default: ${DEFAULT-VALUE}).") int blocks;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the LAMMPS run (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--out", description = "Directory for the comparison files (default: OUTPUT_DIR/validation-lammps).") Path out;
    @Mixin Console console;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = console.log();
        PrintWriter warn = console.warn();
        FitConfig cfg = FitConfig.read(config);
        Path tables = cfg.outputDir().resolve("tables").resolve("lammps");
        if (!Files.isRegularFile(tables.resolve("in.tables"))) {
            throw new Main.BadInputException(tables.resolve("in.tables") + " does not exist: run 'remcg fit " + config + "' first");
        }
        if (blocks < 2 || blocks > 1000) {
            throw new Main.BadInputException("--blocks must be between 2 and 1000, got " + blocks);
        }
        FitConfig.EngineSpec es = cfg.engine();
        double step = dt != null ? dt : 0.5 * es.dt();
        long prod = steps != null ? steps : 2 * es.steps();
        long equil = equilibrate != null ? equilibrate : 2 * es.equilibrate();
        if (!(step > 0) || prod < 1 || equil < 0 || prod > 1_000_000_000L) {
            throw new Main.BadInputException("--dt must be positive and --steps between 1 and 1e9");
        }
        // the configuration's sampling interval, or shorter so that every block holds at least 20 frames
        int every = (int) Math.max(1, Math.min(es.sampleEvery(), prod / (20L * blocks)));
        FitProblem s = FitProblem.build(cfg, line -> { }, Main.warnings(warn));
        List<String> cmd = Arrays.asList(lmp.trim().split("\\s+"));
        LammpsRun.Settings ls = new LammpsRun.Settings(cmd, step, es.friction(), prod, equil, every, seed, cfg.temperature());
        Path dir = out != null ? out : cfg.outputDir().resolve("validation-lammps");
        Files.createDirectories(dir);
        log.printf(Locale.ROOT, "LAMMPS ('%s'): %d + %d steps of %.4g ps at %.2f K, a frame every %d steps, %d blocks%n", lmp, equil, prod, step,
                cfg.temperature(), every, blocks);
        log.flush();
        BlockedMeasurement m = new BlockedMeasurement(s.terms(), s.topology(), s.exclusionHops(), blocks, ls.frames());
        long t0 = System.nanoTime();
        try {
            LammpsRun.run(dir.resolve("run"), tables, s.topology(), s.box(), s.startPositions(), ls, m::accept);
        } catch (IterativeRem.SamplingException e) {
            throw new Main.BadInputException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(config + ": " + e.getMessage());
        }
        log.printf(Locale.ROOT, "LAMMPS ran %d frames in %.1f s%n", m.frames(), (System.nanoTime() - t0) * 1e-9);
        List<TargetDistribution> model = m.result().distributions();
        List<double[]> se = m.standardErrors();
        List<String> lines = new ArrayList<>();
        for (int q = 0; q < s.terms().size(); q++) {
            FitTerm t = s.terms().get(q);
            DistributionComparison c = DistributionComparison.compare(t, s.targets().get(q), s.targetErrors() == null ? null : s.targetErrors().get(q),
                    model.get(q), se.get(q));
            AtomicFiles.writeString(dir.resolve(t.fileName() + ".csv"), c.csv());
            lines.add(c.line(t));
        }
        for (String l : lines) {
            log.println(l);
        }
        log.printf(Locale.ROOT, "wrote %s%n", dir);
        log.flush();
        return 0;
    }
}
