package org.remcg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.FitSampler;
import org.remcg.fit.RemFit;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.fit.problem.FitResult;
import org.remcg.model.ForceField;
import org.remcg.optimize.Checkpoint;
import org.remcg.optimize.IterativeRem;
import org.remcg.simulate.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code remcg fit CONFIG}: relative-entropy fit of a CG force field to a mapped reference
 * trajectory or to target distributions (docs/CONFIG.md). The fit itself is core's
 * {@link FitProblem}, {@link RemFit} and {@link IterativeRem}; this command prints its progress,
 * writes a checkpoint after every model simulation ({@code --resume} continues from it) and the
 * outputs ({@link FitOutputs}).
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit a CG force field by relative entropy minimization (Newton steps with the covariance Hessian, reweighting).")
public final class FitCommand implements Callable<Integer> {
    @Parameters(index = "0", converter = InputFile.class, description = "Fit configuration (YAML, see docs/CONFIG.md).") Path config;
    @Option(names = "--resume", description = "Continue from the checkpoint in the output directory.") boolean resume;
    @Option(names = "--overwrite", description = "Start afresh even when the output directory holds the checkpoint of an earlier run (its outputs "
            + "are replaced as the new run writes them).")
    boolean overwrite;
    @Mixin Console console;

    /**
     * Called with the checkpoint's path each time one is written, before anything else is (tests take what a
     * kill at that moment would leave).
     */
    static volatile Consumer<Path> afterCheckpoint = p -> { };

    /** Exit code of a fit that used its whole simulation budget without converging (outputs are written). */
    static final int NOT_CONVERGED = 3;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = console.log();
        PrintWriter warn = console.warn();
        long t0 = System.nanoTime();
        FitConfig cfg = FitConfig.read(config);
        // one fit per output directory at a time: locked now if the directory exists, else when the fit makes it
        try (OutputLock lock = new OutputLock(cfg.outputDir())) {
            if (cfg.method().equals("force-matching")) {
                return ForceMatchingRun.run(cfg, resume, lock, log, warn, t0);
            }
            return rem(cfg, lock, log, warn, t0);
        }
    }

    private Integer rem(FitConfig cfg, OutputLock lock, PrintWriter log, PrintWriter warn, long t0) throws Exception {
        Path out = cfg.outputDir();
        Path checkpoint = out.resolve("checkpoint.json");
        if (resume && overwrite) {
            throw new Main.BadInputException("--resume and --overwrite exclude each other");
        }
        if (!resume && !overwrite && Files.exists(checkpoint)) {
            // with --overwrite the old checkpoint stays until the new run's first one replaces it (atomically)
            throw new Main.BadInputException(out + " holds a checkpoint of an earlier run: add --resume to continue it, --overwrite to start "
                    + "afresh, or choose another output.dir");
        }
        if (resume && !Files.exists(checkpoint)) {
            throw new Main.BadInputException("--resume: no checkpoint at " + checkpoint);
        }
        FitProblem p = FitProblem.build(cfg, log::println, Main.warnings(warn));
        describe(p, log);
        RemFit.Start start = p.start(log::println);
        double[] hessianPrior = p.hessianPrior(log::println);
        List<String> diagnostics = p.diagnostics(start);
        for (String d : diagnostics) {
            warn.println("note: " + d);
        }
        warn.flush();
        ForceField ff = p.forceField(start.theta());
        // the engine's worker threads end with it; on a terminal, a progress bar within each simulation (cleared before the simulation's line)
        try (Engine engine = p.engine(ff);
             ProgressDisplay.Simulations bars = !console.quiet && ProgressDisplay.terminal() ? new ProgressDisplay.Simulations(null) : null) {
            FitSampler sampler = FitSamplers.create(p, engine, lock, log, warn);
            sampler.setProgress(bars);
            String hash = p.fingerprint();
            IterativeRem.State resumeState = null;
            double earlier = 0;   // wall time of the run's earlier processes, each up to its last checkpoint
            List<double[]> thetas = new ArrayList<>();
            thetas.add(start.theta().clone());
            if (resume) {
                Checkpoint cp = Checkpoint.read(checkpoint);
                if (!cp.hash().equals(hash)) {
                    throw new Main.BadInputException(checkpoint + " was written for a different configuration or reference; start a new output.dir");
                }
                resumeState = cp.state();
                sampler.setPositions(cp.positions());
                thetas = new ArrayList<>(cp.thetas());
                earlier = cp.seconds();
                log.printf(Locale.ROOT, "resuming after %d simulations%n", resumeState.simulations());
            }
            Files.createDirectories(out);
            lock.hold();
            List<double[]> thetaHistory = thetas;
            double earlierSeconds = earlier;
            // the loop also reports its stop, with no new simulation: each simulation's line is printed once
            int[] printed = {resumeState == null ? 0 : resumeState.history().size()};
            IterativeRem.State fin = RemFit.run(p.loopOptions(), hessianPrior, p.targetMean(), p.targetVariance(), start, p.regularizer(), sampler, resumeState,
                    (state, samples) -> {
                        if (thetaHistory.size() <= state.simulations()) {
                            thetaHistory.add(state.theta().clone());
                        }
                        Checkpoint.write(checkpoint, new Checkpoint(hash, state, sampler.positions(), thetaHistory,
                                earlierSeconds + (System.nanoTime() - t0) * 1e-9));
                        afterCheckpoint.accept(checkpoint);
                        AtomicFiles.writeString(out.resolve("history.csv"), FitResult.rem(p.terms(), state, thetaHistory, start).historyCsv());
                        if (bars != null) {
                            bars.close();
                        }
                        for (; printed[0] < state.history().size(); printed[0]++) {
                            log.println(IterativeRem.describe(state.history().get(printed[0])));
                        }
                        log.flush();
                    });
            FitResult result = FitResult.rem(p.terms(), fin, thetaHistory, start);
            log.printf(Locale.ROOT, "stopped: %s after %d simulations, %d MD steps in all (%s)%n", result.stopReason(), fin.simulations(),
                    result.totalSteps(), result.stepsPerSimulation());
            if (sampler instanceof org.remcg.fit.EngineSampler es && es.swaps().tried() > 0) {
                log.printf(Locale.ROOT, "identity swaps: %d tried in this process, %.3f accepted%n", es.swaps().tried(), es.swaps().acceptance());
            }
            // validation: a fresh simulation at the final parameters, measured with the reference's bins
            BlockedMeasurement model = p.validationMeasurement();
            sampler.setSink(model::accept);
            if (bars != null) {
                bars.name("validation");
            }
            long beforeValidation = sampler.stepsRun();
            try {
                sampler.sample(fin.theta(), fin.simulations());
            } catch (IterativeRem.SamplingException e) {
                throw new Main.BadInputException("the validation simulation of the final model failed (" + e.getMessage()
                        + "); the parameters are in " + checkpoint + ": try a smaller engine.dt or more simulations");
            }
            FitOutputs.Summary summary = FitOutputs.write(out, p, ff, result, model, earlierSeconds + (System.nanoTime() - t0) * 1e-9,
                    result.totalSteps() + sampler.stepsRun() - beforeValidation, diagnostics);
            for (String line : summary.lines()) {
                log.println(line);
            }
            log.printf(Locale.ROOT, "wrote %s (model.yaml, tables/, distributions/, history.csv, plots, report.html) in %.1f s%n", out,
                    (System.nanoTime() - t0) * 1e-9);
            log.flush();
            if (result.budgetExhausted()) {
                // said even with --quiet: the result is usable but not a converged fit
                PrintWriter err = console.err();
                err.println(result.notConverged());
                err.flush();
                warn.flush();
                return NOT_CONVERGED;
            }
            warn.flush();
            return 0;
        }
    }

    /** The reference and CG system lines every fit prints first. */
    static void describe(FitProblem p, PrintWriter log) {
        log.printf(Locale.ROOT, "reference: %s%n", p.referenceFrames() > 0 ? p.referenceFrames() + " frames" : "target files");
        log.printf(Locale.ROOT, "CG system: %d beads of types %s in %s; %d parameters in %d interactions%n", p.topology().size(),
                String.join(", ", p.topology().typeNames()), p.box(), p.layout().size(), p.terms().size());
    }
}
