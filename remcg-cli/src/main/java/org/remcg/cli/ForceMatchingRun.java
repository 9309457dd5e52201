package org.remcg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.EngineSampler;
import org.remcg.fit.ForceMatching;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.fit.problem.FitResult;
import org.remcg.model.ForceField;
import org.remcg.simulate.Engine;

/**
 * {@code remcg fit} with {@code method: force-matching}: the same configuration, reference and
 * outputs as the relative-entropy fit, but the coefficients come from one least-squares fit of
 * the mapped reference forces ({@link FitProblem#forceMatching}); a validation simulation of the
 * result then gives the distributions, plots and report like a REM fit's.
 */
final class ForceMatchingRun {
    private ForceMatchingRun() {
    }

    static int run(FitConfig cfg, boolean resume, OutputLock lock, PrintWriter log, PrintWriter warn, long t0) throws Exception {
        if (resume) {
            throw new Main.BadInputException("--resume: method force-matching keeps no checkpoint (it runs no iterations); run it again without --resume");
        }
        FitProblem.requireForces(cfg);
        FitProblem p = FitProblem.build(cfg, log::println, Main.warnings(warn));
        long tf = System.nanoTime();
        ForceMatching.Result res = p.forceMatching();
        double fmSeconds = (System.nanoTime() - tf) * 1e-9;
        double explained = 1 - res.rmsResidual() * res.rmsResidual() / (res.rmsForce() * res.rmsForce());
        String fmLine = String.format(Locale.ROOT, "force matching: %d frames, %d free coefficients; rms reference force %.2f kJ/mol/nm, "
                + "rms residual %.2f kJ/mol/nm (%.1f%% of the mean squared force explained); %.1f s%s", res.frames(), res.free(),
                res.rmsForce(), res.rmsResidual(), 100 * explained, fmSeconds, res.autoRidge() > 0 ? String.format(Locale.ROOT, "; automatic ridge %.3g", res.autoRidge()) : "");
        log.println(fmLine);
        log.flush();
        // validation: a simulation of the fitted model, measured with the reference's bins
        ForceField ff = p.forceField(res.theta());
        BlockedMeasurement model = p.validationMeasurement();
        long steps;
        try (Engine engine = p.engine(ff)) {
            EngineSampler sampler = p.sampler(engine);
            sampler.setSink(model::accept);
            sampler.sample(res.theta(), 0);
            steps = sampler.stepsRun();
        }
        Path out = cfg.outputDir();
        Files.createDirectories(out);
        lock.hold();
        FitOutputs.Summary summary = FitOutputs.write(out, p, ff, FitResult.forceMatching(p.terms(), res), model, (System.nanoTime() - t0) * 1e-9,
                steps, List.of());
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
