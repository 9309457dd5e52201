package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.remcg.density.DensityData;
import org.remcg.density.DensityFit;
import org.remcg.density.DensityModels;
import org.remcg.density.Domain;
import org.remcg.density.ExpFamilyDensity;
import org.remcg.io.DataFormatException;
import org.remcg.io.SampleReader;
import org.remcg.model.CubicBSpline;
import org.remcg.model.Features;
import org.remcg.model.Roughness;
import org.remcg.observe.FeatureBlocks;
import org.remcg.observe.Histogram;
import org.remcg.optimize.CrossValidation;
import org.remcg.optimize.MomentTable;
import org.remcg.optimize.NewtonOptimizer;
import org.remcg.optimize.Regularizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remcg density fit}: relative-entropy (maximum-likelihood) fit of an exponential-family density to samples
 * ({@link DensityFit}), optionally with blocked cross-validation over basis size and penalty; writes result.json and
 * density.png.
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Relative-entropy (maximum-likelihood) fit of a density to samples; writes DIR/result.json and DIR/density.png.")
public final class DensityFitCommand implements Callable<Integer> {
    @Mixin DensityCommand.SampleFile input;
    @Option(names = "--domain", required = true, description = "circle | interval:A,B (A, B may be -inf, inf) | box:A,B,C,D") String domain;
    @Option(names = "--basis", required = true, description = "fourier:K | cosine:K | bspline:K[:A,B] | legendre:K[:A,B]") String basis;
    @Option(names = "--ridge", description = "Ridge penalty strength (nats per sample per squared parameter).") Double ridge;
    @Option(names = "--roughness", description = "Roughness penalty strength (see docs/CONFIG.md).") Double roughness;
    @Option(names = "--cv", description = "Blocked K-fold cross-validation over basis size and penalty strength.") Integer cv;
    @Option(names = "--cv-sizes", split = ",", description = "Basis sizes K to try (default: a ladder up to the given K).") List<Integer> cvSizes;
    @Option(names = "--cv-penalties", split = ",",
            description = "Penalty strengths to try (default: 0, 0.1/N, 1/N, 10/N for N samples; roughness for B-splines, ridge otherwise).")
    List<Double> cvPenalties;
    @Mixin RunOptions.OutputDirectory output;
    @Mixin Console console;

    @Override
    public Integer call() throws IOException, DataFormatException {
        PrintWriter log = console.log();
        Domain dom = Domain.parse(domain);
        Features base = DensityModels.features(dom, basis);
        if (cv != null && cv < 2) {
            throw new Main.BadInputException("--cv needs at least 2 folds, got " + cv);
        }
        boolean spline = base.axis(0) instanceof CubicBSpline;
        List<Features> sets = new ArrayList<>();
        List<Double> penalties = new ArrayList<>();
        if (cv == null) {
            sets.add(base);
        } else {
            for (int k : sizes(base)) {
                sets.add(DensityModels.resized(base, k));
            }
        }
        Histogram hist = histogram(dom);
        long t0 = System.nanoTime();
        DensityData.Summary sum = DensityData.read(input.data, input.column, dom, sets, hist);
        if (cv != null) {
            // cross-validation varies the natural penalty of the basis (roughness for splines,
            // ridge otherwise) unless it was given; the other kind stays at its given value.
            // Penalties are in nats per sample, so the useful range scales like 1 / N.
            double n = sum.count();
            Double given = spline ? roughness : ridge;
            penalties.addAll(cvPenalties != null ? cvPenalties : given != null ? List.of(given) : List.of(0.0, 0.1 / n, 1 / n, 10 / n));
        }
        if (sum.degenerate()) {
            throw new Main.BadInputException(input.data + ": all " + sum.count() + " data points are identical: a maximum-likelihood density does not exist");
        }
        if (hist == null) {
            hist = secondPassHistogram(dom, sum);
        }
        NewtonOptimizer opt = new NewtonOptimizer();
        Map<String, Object> cvJson = null;
        int chosenSet = 0;
        double chosenPenalty = 0;
        if (cv != null) {
            List<CrossValidation.Candidate> cands = new ArrayList<>();
            for (int s = 0; s < sets.size(); s++) {
                Features f = sets.get(s);
                ExpFamilyDensity model = new ExpFamilyDensity(dom, f);
                for (double pen : penalties) {
                    Regularizer reg = regularizer(f, spline ? orZero(ridge) : pen, spline ? pen : orZero(roughness));
                    cands.add(new CrossValidation.Candidate(DensityModels.spec(f), f.size(), pen, sum.blocks().get(s), model,
                            (mean, count) -> DensityFit.fit(model, mean, count, reg, opt).theta()));
                }
            }
            CrossValidation.Outcome outcome = CrossValidation.run(cands, cv, 1.0);
            CrossValidation.Candidate best = outcome.best().candidate();
            chosenSet = sets.indexOf(((ExpFamilyDensity) best.ensemble()).features());
            chosenPenalty = best.penalty();
            cvJson = cvJson(outcome, spline ? "roughness" : "ridge");
            log.printf(Locale.ROOT, "cross-validation (%d blocked folds), held-out mean log-likelihood:%n", cv);
            for (CrossValidation.Score sc : outcome.scores()) {
                log.printf(Locale.ROOT, "  %-28s %s=%-8g %s%n", sc.candidate().label(), spline ? "roughness" : "ridge",
                        sc.candidate().penalty(), sc.valid() ? String.format(Locale.ROOT, "%.6f +- %.6f", sc.mean(), sc.standardError()) : "failed: " + sc.problem());
            }
            log.printf(Locale.ROOT, "chosen: %s with %s %g%n", best.label(), spline ? "roughness" : "ridge", chosenPenalty);
        }
        Features f = sets.get(chosenSet);
        FeatureBlocks blocks = sum.blocks().get(chosenSet);
        double r = cv != null && !spline ? chosenPenalty : orZero(ridge);
        double g = cv != null && spline ? chosenPenalty : orZero(roughness);
        Regularizer reg = regularizer(f, r, g);
        ExpFamilyDensity model = new ExpFamilyDensity(dom, f);
        DensityFit.Result res = DensityFit.fit(model, blocks.mean(), blocks.count(), reg, opt);
        double seconds = (System.nanoTime() - t0) * 1e-9;

        String[] names = new String[f.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = f.name(i);
        }
        List<MomentTable.Row> table = MomentTable.build(names, blocks.mean(), blocks.standardErrors(), res.modelMean());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("remcg", "density fit");
        json.put("data", input.data.toString());
        json.put("samples", sum.count());
        json.put("domain", dom.spec());
        json.put("basis", DensityModels.spec(f));
        json.put("convention", "p(x) = exp(-sum_i parameters[i] * features[i](x) - logZ)");
        json.put("features", names);
        json.put("parameters", res.theta());
        json.put("parameter_standard_errors", res.standardErrors());
        json.put("logZ", res.logZ());
        json.put("train_mean_log_likelihood", res.trainLogLikelihood());
        Map<String, Object> reg2 = new LinkedHashMap<>();
        reg2.put("ridge", r);
        reg2.put("roughness", g);
        json.put("regularization", reg2);
        json.put("features_without_data", res.frozen());
        Map<String, Object> optJson = new LinkedHashMap<>();
        optJson.put("iterations", res.optimization().iterations());
        optJson.put("gradient_norm", res.optimization().gradientNorm());
        optJson.put("stop", res.optimization().stop().toString().toLowerCase(Locale.ROOT));
        List<Map<String, Object>> hist2 = new ArrayList<>();
        for (NewtonOptimizer.Iteration it : res.optimization().history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("iteration", it.index());
            m.put("objective", it.value());
            m.put("gradient_norm", it.gradientNorm());
            m.put("step_fraction", it.stepFraction());
            hist2.add(m);
        }
        optJson.put("history", hist2);
        json.put("optimizer", optJson);
        List<Map<String, Object>> moments = new ArrayList<>();
        List<MomentTable.Row> informed = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            MomentTable.Row row = table.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", row.feature());
            m.put("data", row.target());
            m.put("model", row.model());
            m.put("data_standard_error", row.standardError());
            m.put("z", Double.isNaN(row.z()) ? null : row.z());
            if (res.tie()[i] != i) {
                m.put("tied_to", names[res.tie()[i]]);
            } else if (!res.hasTiedFollowers(i)) {
                informed.add(row);
            }
            moments.add(m);
        }
        json.put("moment_matching", moments);
        json.put("max_abs_z", MomentTable.maxAbsZ(informed));
        if (cvJson != null) {
            json.put("cv", cvJson);
        }
        json.put("seconds", seconds);
        Files.createDirectories(output.dir);
        Json.write(output.dir.resolve("result.json"), json);
        DensityPlot.write(output.dir.resolve("density.png"), model, res.theta(), res.logZ(), hist, input.data.getFileName().toString(),
                x -> res.logDensityStandardError(x, 0));

        log.printf(Locale.ROOT, "%d samples, %s on %s: %d features (%d tied for lack of data), %d Newton iterations, |grad| = %.2e (%s)%n",
                sum.count(), DensityModels.spec(f), dom.spec(), f.size(), res.frozen(), res.optimization().iterations(),
                res.optimization().gradientNorm(), res.optimization().stop().toString().toLowerCase(Locale.ROOT));
        log.printf(Locale.ROOT, "logZ = %.10g, training mean log-likelihood = %.10g, max |z| of moment mismatch = %.3g%n",
                res.logZ(), res.trainLogLikelihood(), MomentTable.maxAbsZ(informed));
        log.printf(Locale.ROOT, "wrote %s and %s (%.2f s)%n", output.dir.resolve("result.json"), output.dir.resolve("density.png"), seconds);
        return 0;
    }

    private List<Integer> sizes(Features base) {
        return cvSizes != null ? cvSizes : DensityModels.sizeLadder(base);
    }

    private Histogram histogram(Domain dom) {
        if (!dom.bounded()) {
            return null;
        }
        if (dom.dimension() == 1) {
            return new Histogram(dom.xmin(), dom.xmax(), 60);
        }
        return new Histogram(dom.xmin(), dom.xmax(), 40, dom.ymin(), dom.ymax(), 40);
    }

    private Histogram secondPassHistogram(Domain dom, DensityData.Summary sum) throws IOException, DataFormatException {
        double pad = 0.05 * (sum.xmax() - sum.xmin());
        Histogram h = new Histogram(sum.xmin() - pad, sum.xmax() + pad, 60);
        SampleReader.read(input.data, 1, input.column, (xs, ys, lines, count) -> {
            for (int i = 0; i < count; i++) {
                h.add(xs[i], 0);
            }
        });
        return h;
    }

    static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    static Regularizer regularizer(Features f, double ridge, double roughness) {
        if (ridge < 0 || roughness < 0 || !Double.isFinite(ridge) || !Double.isFinite(roughness)) {
            throw new Main.BadInputException("penalty strengths must be finite and >= 0, got ridge " + ridge + ", roughness " + roughness);
        }
        return new Regularizer(ridge, roughness, roughness > 0 ? Roughness.matrix(f) : null);
    }

    static Map<String, Object> cvJson(CrossValidation.Outcome outcome, String penaltyKind) {
        Map<String, Object> cvJson = new LinkedHashMap<>();
        List<Map<String, Object>> cands = new ArrayList<>();
        for (CrossValidation.Score sc : outcome.scores()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("basis", sc.candidate().label());
            m.put(penaltyKind, sc.candidate().penalty());
            m.put("features", sc.candidate().features());
            m.put("heldout_mean_log_likelihood", sc.valid() ? sc.mean() : null);
            m.put("standard_error", sc.valid() ? sc.standardError() : null);
            m.put("fold_scores", sc.folds());
            if (!sc.valid()) {
                m.put("problem", sc.problem());
            }
            cands.add(m);
        }
        cvJson.put("penalty_kind", penaltyKind);
        cvJson.put("candidates", cands);
        CrossValidation.Candidate best = outcome.best().candidate();
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("basis", best.label());
        chosen.put(penaltyKind, best.penalty());
        chosen.put("heldout_mean_log_likelihood", outcome.best().mean());
        cvJson.put("chosen", chosen);
        return cvJson;
    }
}
