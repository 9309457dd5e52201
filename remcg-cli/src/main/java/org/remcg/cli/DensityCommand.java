package org.remcg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.remcg.density.DensityData;
import org.remcg.density.DensityDiagnostics;
import org.remcg.density.DensityFit;
import org.remcg.density.DensityModels;
import org.remcg.density.Domain;
import org.remcg.density.ExactSampler;
import org.remcg.density.ExpFamilyDensity;
import org.remcg.io.DataFormatException;
import org.remcg.io.SampleReader;
import org.remcg.model.Bases;
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
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code remcg density}: exact exponential-family densities in one or two dimensions. */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "Fit, sample and score low-dimensional exponential-family densities p ~ exp(-sum theta_i phi_i), normalized by quadrature.",
        subcommands = {DensityCommand.Fit.class, DensityCommand.Sample.class, DensityCommand.Score.class})
public final class DensityCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingCommand(spec);
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The sample file and its column choice, shared by the commands that read samples. */
    static final class SampleFile {
        @Option(names = "--data", converter = InputFile.class, required = true, description = "Samples: one value (two for a box) per line, or CSV with a header.")
        Path data;

        @Option(names = "--column", description = "Column(s) to use: a header name or 1-based number; two, comma-separated, for a box.")
        String column;
    }

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = "Relative-entropy (maximum-likelihood) fit of a density to samples; writes DIR/result.json and DIR/density.png.")
    static final class Fit implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        SampleFile input;

        @Option(names = "--domain", required = true, description = "circle | interval:A,B (A, B may be -inf, inf) | box:A,B,C,D")
        String domain;

        @Option(names = "--basis", required = true, description = "fourier:K | cosine:K | bspline:K[:A,B] | legendre:K[:A,B]")
        String basis;

        @Option(names = "--ridge", description = "Ridge penalty strength (nats per sample per squared parameter).")
        Double ridge;

        @Option(names = "--roughness", description = "Roughness penalty strength (see docs/CONFIG.md).")
        Double roughness;

        @Option(names = "--cv", description = "Blocked K-fold cross-validation over basis size and penalty strength.")
        Integer cv;

        @Option(names = "--cv-sizes", split = ",", description = "Basis sizes K to try (default: a ladder up to the given K).")
        List<Integer> cvSizes;

        @Option(names = "--cv-penalties", split = ",", description = "Penalty strengths to try (default: 0, 0.1/N, 1/N, 10/N for N samples; roughness for B-splines, ridge otherwise).")
        List<Double> cvPenalties;

        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;

        @Option(names = "--quiet", description = "Print nothing but errors.")
        boolean quiet;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, DataFormatException {
            PrintWriter log = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
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
            json.put("regularization", Map.of("ridge", r, "roughness", g));
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
            Files.createDirectories(out);
            AtomicFiles.write(out.resolve("result.json"), o -> JSON.writeValue(o, json));
            DensityPlot.write(out.resolve("density.png"), model, res.theta(), res.logZ(), hist, input.data.getFileName().toString(),
                    x -> res.logDensityStandardError(x, 0));

            log.printf(Locale.ROOT, "%d samples, %s on %s: %d features (%d tied for lack of data), %d Newton iterations, |grad| = %.2e (%s)%n",
                    sum.count(), DensityModels.spec(f), dom.spec(), f.size(), res.frozen(), res.optimization().iterations(),
                    res.optimization().gradientNorm(), res.optimization().stop().toString().toLowerCase(Locale.ROOT));
            log.printf(Locale.ROOT, "logZ = %.10g, training mean log-likelihood = %.10g, max |z| of moment mismatch = %.3g%n",
                    res.logZ(), res.trainLogLikelihood(), MomentTable.maxAbsZ(informed));
            log.printf(Locale.ROOT, "wrote %s and %s (%.2f s)%n", out.resolve("result.json"), out.resolve("density.png"), seconds);
            return 0;
        }

        private List<Integer> sizes(Features base) {
            int k = Bases.sizeParameter(base.axis(0));
            if (cvSizes != null) {
                return cvSizes;
            }
            TreeSet<Integer> s = new TreeSet<>();
            if (base.axis(0) instanceof CubicBSpline) {
                for (double frac : new double[] {0.25, 0.35, 0.5, 0.7, 1.0}) {
                    s.add(Math.max(4, (int) Math.round(k * frac)));
                }
            } else {
                int step = Math.max(1, k / 8);
                for (int i = k; i >= 1; i -= step) {
                    s.add(i);
                }
            }
            return new ArrayList<>(s);
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

    /** A fitted model read back from result.json. */
    record Loaded(ExpFamilyDensity model, double[] theta, double logZ) {
        static Loaded read(Path file) throws IOException {
            JsonNode n;
            try {
                n = org.remcg.io.YamlTree.readTree(JSON, file, "JSON");
            } catch (org.remcg.io.DataFormatException e) {
                throw new Main.BadInputException(file + ": not a valid result.json: " + e.problem());
            }
            for (String key : new String[] {"domain", "basis", "parameters"}) {
                if (n == null || !n.has(key)) {
                    throw new Main.BadInputException(file + ": missing '" + key + "' (expected a result.json of 'remcg density fit')");
                }
            }
            Domain dom = Domain.parse(n.get("domain").asText());
            Features f = DensityModels.features(dom, n.get("basis").asText());
            JsonNode p = n.get("parameters");
            if (!p.isArray() || p.size() != f.size()) {
                throw new Main.BadInputException(file + ": 'parameters' must be an array of " + f.size() + " numbers for " + n.get("basis").asText());
            }
            double[] theta = new double[f.size()];
            for (int i = 0; i < theta.length; i++) {
                if (!p.get(i).isNumber()) {
                    throw new Main.BadInputException(file + ": parameters[" + i + "] is not a number");
                }
                theta[i] = p.get(i).asDouble();
            }
            ExpFamilyDensity model = new ExpFamilyDensity(dom, f);
            double logZ = model.moments(theta, false).logZ();
            return new Loaded(model, theta, logZ);
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Draw exact, independent samples from a fitted density (result.json of 'density fit').")
    static final class Sample implements Callable<Integer> {
        @Option(names = "--model", converter = InputFile.class, required = true, description = "result.json written by 'remcg density fit'.")
        Path modelFile;

        @Option(names = {"-n", "--count"}, required = true, description = "Number of samples.")
        int count;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, description = "Output file: one sample per line.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (count < 1) {
                throw new Main.BadInputException("--count must be positive, got " + count);
            }
            Loaded m = Loaded.read(modelFile);
            boolean twoD = m.model().domain().dimension() == 2;
            ExactSampler sampler = new ExactSampler(m.model(), m.theta());
            SplittableRandom rng = new SplittableRandom(seed);
            AtomicFiles.write(out, o -> {
                PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(o, java.nio.charset.StandardCharsets.UTF_8));
                w.println("# " + count + " exact samples of " + modelFile + " (seed " + seed + ")");
                int chunk = 4096;
                double[] xs = new double[chunk];
                double[] ys = twoD ? new double[chunk] : null;
                for (int done = 0; done < count; done += chunk) {
                    int k = Math.min(chunk, count - done);
                    sampler.sample(rng, k, xs, ys);
                    for (int i = 0; i < k; i++) {
                        w.println(twoD ? xs[i] + " " + ys[i] : Double.toString(xs[i]));
                    }
                }
                w.flush();
            });
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Score a fitted density on (held-out) data: mean log-likelihood and estimated D_KL(data || model).")
    static final class Score implements Callable<Integer> {
        @Option(names = "--model", converter = InputFile.class, required = true, description = "result.json written by 'remcg density fit'.")
        Path modelFile;

        @picocli.CommandLine.Mixin
        SampleFile input;

        @Option(names = "--out", description = "Also write the scores as JSON to this file.")
        Path out;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, DataFormatException {
            Loaded m = Loaded.read(modelFile);
            Domain dom = m.model().domain();
            int dim = dom.dimension();
            // the k-NN entropy needs the points themselves: this command keeps one copy
            double[][] buf = {new double[1024], dim == 2 ? new double[1024] : null};
            int[] n = {0};
            SampleReader.read(input.data, dim, input.column, (xs, ys, lines, count) -> {
                for (int i = 0; i < count; i++) {
                    double x = dom.wrap(xs[i]);
                    double y = ys == null ? 0 : ys[i];
                    try {
                        DensityDiagnostics.checkSupport(m.model(), x, y, input.data + ":" + lines[i]);
                    } catch (DensityDiagnostics.SupportException e) {
                        throw new DataFormatException(input.data, lines[i], e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
                    }
                    if (n[0] == buf[0].length) {
                        buf[0] = java.util.Arrays.copyOf(buf[0], 2 * n[0]);
                        if (buf[1] != null) {
                            buf[1] = java.util.Arrays.copyOf(buf[1], 2 * n[0]);
                        }
                    }
                    buf[0][n[0]] = x;
                    if (buf[1] != null) {
                        buf[1][n[0]] = y;
                    }
                    n[0]++;
                }
            });
            double[] xs = java.util.Arrays.copyOf(buf[0], n[0]);
            double[] ys = buf[1] == null ? null : java.util.Arrays.copyOf(buf[1], n[0]);
            DensityDiagnostics.KlEstimate kl = DensityDiagnostics.heldOutKl(m.model(), m.theta(), m.logZ(), xs, ys);
            PrintWriter log = spec.commandLine().getOut();
            log.printf(Locale.ROOT, "%d samples: mean log-likelihood %.6f +- %.6f; k-NN entropy %.6f; estimated D_KL(data || model) = %.6f +- %.6f%n",
                    kl.samples(), -kl.crossEntropy(), kl.standardError(), kl.entropy(), kl.kl(), kl.standardError());
            if (out != null) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("samples", kl.samples());
                json.put("mean_log_likelihood", -kl.crossEntropy());
                json.put("mean_log_likelihood_standard_error", kl.standardError());
                json.put("entropy_knn", kl.entropy());
                json.put("kl_estimate", kl.kl());
                AtomicFiles.write(out, o -> JSON.writeValue(o, json));
            }
            return 0;
        }
    }
}
