package org.remcg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.remcg.cli.config.FitConfig;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.EngineSampler;
import org.remcg.fit.FitTerm;
import org.remcg.fit.ForceMatching;
import org.remcg.fit.ReferenceStatistics;
import org.remcg.fit.RemFit;
import org.remcg.io.Frame;
import org.remcg.io.TrajectoryReader;
import org.remcg.io.Trajectories;
import org.remcg.mapping.Mapper;
import org.remcg.model.ForceField;
import org.remcg.optimize.IterativeRem;
import org.remcg.simulate.Engine;

/**
 * {@code remcg fit} with {@code method: force-matching}: the same configuration, reference and
 * outputs as the relative-entropy fit, but the coefficients come from one least-squares fit of
 * the mapped reference forces ({@link ForceMatching}); a validation simulation of the result then
 * gives the distributions, plots and report like a REM fit's.
 */
final class ForceMatchingRun {
    private ForceMatchingRun() {
    }

    static int run(FitConfig cfg, boolean resume, OutputLock lock, PrintWriter log, PrintWriter warn, long t0) throws Exception {
        if (resume) {
            throw new Main.BadInputException("--resume: method force-matching keeps no checkpoint (it runs no iterations); run it again without --resume");
        }
        FitConfig.Reference ref = cfg.reference();
        if (!ref.hasTrajectory()) {
            throw new Main.BadInputException(cfg.file() + ": method force-matching needs a reference trajectory with forces (reference.trajectory"
                    + " or reference.cg_trajectory), target distributions carry no forces");
        }
        Path traj = ref.trajectory() != null ? ref.trajectory() : ref.cgTrajectory();
        try (TrajectoryReader opened = Trajectories.open(traj, ref.format());
                TrajectoryReader r = Trajectories.select(opened, ref.begin(), ref.end(), ref.stride())) {
            Frame f = new Frame();
            if (!r.next(f)) {
                throw new Main.BadInputException(traj + ": no frames selected");
            }
            if (f.f == null) {
                throw new Main.BadInputException(traj + ": frame " + f.index + " has no forces; method force-matching needs a reference trajectory"
                        + " with forces (a GROMACS TRR written with nstfout > 0)");
            }
        }
        FitCommand.Setup s = FitCommand.setup(cfg, log, warn);
        Mapper mapper = ref.trajectory() != null ? FitCommand.mapper(ref, new PrintWriter(java.io.Writer.nullWriter())) : null;
        List<FitTerm> terms = s.terms();
        int hops = ref.exclusionHops();
        ForceMatching.Options o = new ForceMatching.Options(cfg.temperature(), cfg.ridge(), cfg.roughness(), 1e-3);
        ForceMatching.Result res;
        long tf = System.nanoTime();
        try (TrajectoryReader opened = Trajectories.open(traj, ref.format());
                TrajectoryReader r = Trajectories.select(opened, ref.begin(), ref.end(), ref.stride())) {
            res = ForceMatching.fit(terms, s.top(), hops, r, mapper, cfg.engine().threads(), o);
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(traj + ": " + e.getMessage());
        }
        double fmSeconds = (System.nanoTime() - tf) * 1e-9;
        double explained = 1 - res.rmsResidual() * res.rmsResidual() / (res.rmsForce() * res.rmsForce());
        String fmLine = String.format(Locale.ROOT, "force matching: %d frames, %d free coefficients; rms reference force %.2f kJ/mol/nm, "
                + "rms residual %.2f kJ/mol/nm (%.1f%% of the mean squared force explained); %.1f s%s", res.frames(), res.free(),
                res.rmsForce(), res.rmsResidual(), 100 * explained, fmSeconds, res.autoRidge() > 0 ? String.format(Locale.ROOT, "; automatic ridge %.3g", res.autoRidge()) : "");
        log.println(fmLine);
        log.flush();
        // validation: a simulation of the fitted model, measured with the reference's bins
        ForceField ff = RemFit.forceField(terms, cfg.temperature(), hops, res.theta());
        FitConfig.EngineSpec es = cfg.engine();
        ReferenceStatistics ms;
        java.util.List<double[]> errors;
        long steps;
        try (Engine engine = new Engine(ff, s.top(), s.box(), s.start(), Engine.Options.defaults().withThreads(es.threads()))) {
            EngineSampler sampler = new EngineSampler(engine, new EngineSampler.Settings(es.dt(), es.friction(), es.steps(), es.equilibrate(),
                    es.sampleEvery(), es.seed()));
            BlockedMeasurement model = FitCommand.validation(cfg, s);
            sampler.setSink(model::accept);
            sampler.sample(res.theta(), 0);
            ms = model.result();
            errors = model.standardErrors();
            steps = sampler.stepsRun();
        }
        Path out = cfg.outputDir();
        Files.createDirectories(out);
        lock.hold();
        IterativeRem.State fin = IterativeRem.State.result(res.theta());
        FitOutputs.Summary summary = FitOutputs.write(out, cfg, ff, terms, s.top(), fin, List.of(res.theta()), s.targetDists(), s.targetErrors(), ms.distributions(),
                errors, res.asStart(), (System.nanoTime() - t0) * 1e-9, steps, List.of());
        AtomicFiles.writeString(out.resolve("force-matching.txt"), fmLine + "\n");
        for (String line : summary.lines()) {
            log.println(line);
        }
        log.printf(Locale.ROOT, "wrote %s (model.yaml, tables/, distributions/, force-matching.txt, plots, report.html) in %.1f s%n", out,
                (System.nanoTime() - t0) * 1e-9);
        log.flush();
        warn.flush();
        return 0;
    }
}
