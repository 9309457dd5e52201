package org.remcg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.remcg.dynamics.BasisField;
import org.remcg.dynamics.CgData;
import org.remcg.dynamics.CgMap;
import org.remcg.dynamics.Diffusion;
import org.remcg.dynamics.Diffusion1D;
import org.remcg.dynamics.Drift;
import org.remcg.dynamics.DriftAnalysis;
import org.remcg.dynamics.DriftBasis;
import org.remcg.dynamics.DriftEstimator;
import org.remcg.dynamics.DynamicsExamples;
import org.remcg.dynamics.ModelSystems;
import org.remcg.dynamics.SdeIntegrator;
import org.remcg.dynamics.SdeSystem;
import org.remcg.dynamics.TimeSeries;
import org.remcg.dynamics.Trajectory;
import org.remcg.dynamics.TrajectoryCsv;
import org.remcg.io.DataFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
import java.util.concurrent.Callable;

/** {@code remcg dynamics} (alias {@code drift}): simulate fine SDEs, fit CG drifts, compare dynamics, run the examples. */
@Command(name = "dynamics", aliases = {"drift"}, mixinStandardHelpOptions = true,
        description = "Dynamical coarse-graining: path-space relative entropy = least-squares drift matching.",
        subcommands = {DynamicsCommand.Simulate.class, DynamicsCommand.Fit.class, DynamicsCommand.Compare.class,
            DynamicsCommand.Example.class})
public final class DynamicsCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingCommand(spec);
    }

    static PrintWriter log(boolean quiet, picocli.CommandLine.Model.CommandSpec spec) {
        return quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
    }

    // ------------------------------------------------------------------ simulate

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Integrate a built-in system or a user Drift class and write a trajectory CSV (t,x1..xd,a1..ad).")
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--system", description = "Built-in system: " + ModelSystems.NAMES + ".")
        String system;
        @Option(names = "--drift-class", description = "Fully qualified name of a class implementing org.remcg.dynamics.Drift (public no-argument constructor).")
        String driftClass;
        @Option(names = "--classpath", description = "Jar or directory holding --drift-class.")
        Path classpath;
        @Option(names = "--dimension", description = "Dimension d of a user system.")
        Integer dimension;
        @Option(names = "--diffusion", description = "Diffusion coefficient D of a user system (sigma sigma^T = 2 D I).")
        Double diffusion;
        @Option(names = "--start", split = ",", description = "Start point x1,...,xd (default: the system's).")
        double[] start;
        @Option(names = "--dt", required = true, description = "Time step.")
        double dt;
        @Option(names = "--steps", required = true, description = "Number of steps.")
        long steps;
        @Option(names = "--stride", defaultValue = "1", description = "Write every K-th step (default ${DEFAULT-VALUE}).")
        int stride;
        @Option(names = "--scheme", defaultValue = "weak2", description = "em | weak2 (default ${DEFAULT-VALUE}; weak2 needs constant noise).")
        String scheme;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--no-drift", description = "Do not write the drift columns a1..ad.")
        boolean noDrift;
        @Option(names = "--out", required = true, description = "Output trajectory CSV.")
        Path out;
        @Option(names = "--quiet", description = "Print nothing but errors.")
        boolean quiet;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SdeSystem sys = system(system, driftClass, classpath, dimension, diffusion);
            if (steps >= 1 && stride >= 1) {
                Limits.memory("--steps / --stride: " + (steps / stride + 1) + " frames", (steps / stride + 1.0) * (1 + (noDrift ? 1 : 2) * sys.dimension()) * 8,
                        "raise --stride or lower --steps");
            }
            long t0 = System.nanoTime();
            Trajectory tr = SdeIntegrator.run(sys, SdeIntegrator.Scheme.parse(scheme), start, dt, steps, stride, seed, !noDrift);
            TrajectoryCsv.write(out, tr);
            log(quiet, spec).printf(Locale.ROOT, "%s: %d steps of %g, %d frames written to %s (%.2f s)%n", sys.name(), steps, dt,
                    tr.frames(), out, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    static SdeSystem system(String name, String driftClass, Path classpath, Integer dimension, Double diffusion) throws Exception {
        if ((name == null) == (driftClass == null)) {
            throw new Main.BadInputException("give either --system or --drift-class");
        }
        if (name != null) {
            return ModelSystems.byName(name);
        }
        if (dimension == null || dimension < 1 || diffusion == null || !(diffusion > 0)) {
            throw new Main.BadInputException("--drift-class needs --dimension d >= 1 and --diffusion D > 0");
        }
        ClassLoader loader = classpath == null ? DynamicsCommand.class.getClassLoader()
                : new java.net.URLClassLoader(new java.net.URL[] {classpath.toUri().toURL()}, DynamicsCommand.class.getClassLoader());
        Object o;
        try {
            o = Class.forName(driftClass, true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new Main.BadInputException("cannot instantiate drift class '" + driftClass + "': " + e);
        }
        if (!(o instanceof Drift drift)) {
            throw new Main.BadInputException("class '" + driftClass + "' does not implement org.remcg.dynamics.Drift");
        }
        return new SdeSystem(driftClass, dimension, drift, Diffusion.isotropic(dimension, diffusion), new double[dimension]);
    }

    // ------------------------------------------------------------------ fit

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = "Fit the CG drift b(y) = E[A(X) | Y = y] by least squares in the Sigma^-1 metric (path-space relative entropy).")
    static final class Fit implements Callable<Integer> {
        @Option(names = "--traj", converter = InputFile.class, required = true, description = "Trajectory CSV: t,x1..xd[,a1..ad].")
        Path traj;
        @Option(names = "--map", required = true, description = "CG map: x1 | 0.5*x1+0.5*x2 | radius | angle; two comma-separated maps for a 2-D variable.")
        String map;
        @Option(names = "--basis", required = true, description = "bspline:K[:A,B] | legendre:K[:A,B] | fourier:K | cosine:K; for 2-D 'SPEC x SPEC'.")
        String basis;
        @Option(names = "--diffusion", description = "Fine diffusion coefficient D (sigma sigma^T = 2 D I): Sigma from the map.")
        Double diffusion;
        @Option(names = "--estimate-diffusion", description = "Estimate Sigma from the quadratic variation of the CG increments.")
        boolean estimate;
        @Option(names = "--stride", defaultValue = "1", description = "Lag K (frames) of the increments when the drift is estimated from positions (default ${DEFAULT-VALUE}).")
        int stride;
        @Option(names = "--no-richardson", description = "Do not extrapolate increments between lags K and 2K (keeps the O(K dt) bias).")
        boolean noRichardson;
        @Option(names = "--ridge", defaultValue = "0", description = "Ridge strength per frame (default ${DEFAULT-VALUE}).")
        double ridge;
        @Option(names = "--roughness", defaultValue = "0", description = "Roughness strength per frame (default ${DEFAULT-VALUE}).")
        double roughness;
        @Option(names = "--cv", description = "Blocked K-fold cross-validation over --cv-roughness (and --cv-ridge).")
        Integer cv;
        @Option(names = "--cv-roughness", split = ",", description = "Roughness strengths to try (default 0,1e-4,1e-3,1e-2,1e-1).")
        double[] cvRoughness;
        @Option(names = "--cv-ridge", split = ",", description = "Ridge strengths to try (default: --ridge).")
        double[] cvRidge;
        @Option(names = "--blocks", defaultValue = "32", description = "Contiguous blocks for the jackknife errors and folds (default ${DEFAULT-VALUE}).")
        int blocks;
        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;
        @Option(names = "--quiet", description = "Print nothing but errors.")
        boolean quiet;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, DataFormatException {
            PrintWriter log = log(quiet, spec);
            if (diffusion != null && estimate) {
                throw new Main.BadInputException("--diffusion and --estimate-diffusion exclude each other");
            }
            if (diffusion == null && !estimate) {
                throw new Main.BadInputException("give --diffusion D (known fine noise) or --estimate-diffusion (quadratic variation)");
            }
            if (diffusion != null && !(diffusion > 0 && Double.isFinite(diffusion))) {
                throw new Main.BadInputException("--diffusion must be positive, got " + diffusion);
            }
            if (stride < 1) {
                throw new Main.BadInputException("--stride must be >= 1, got " + stride);
            }
            long t0 = System.nanoTime();
            Trajectory tr = TrajectoryCsv.read(traj);
            CgMap[] maps = CgMap.parseAll(map);
            CgData data;
            try {
                data = CgData.map(tr, maps, diffusion == null ? null : Diffusion.isotropic(tr.dimension(), diffusion));
            } catch (IllegalArgumentException e) {
                throw new Main.BadInputException(traj + ": " + e.getMessage());
            }
            int m = data.m();
            DriftBasis b = DriftBasis.parse(basis, m, ranges(data, maps));
            // the jackknife keeps a normal-equation matrix per block
            long p = (long) b.size() * m;
            Limits.memory("--blocks " + blocks + " with " + p + " coefficients", 8.0 * blocks * (p * p + p + 1), "use fewer --blocks or a smaller basis");
            DriftEstimator.Options o = new DriftEstimator.Options(ridge, roughness, blocks, cv == null ? 0 : cv,
                    cvRidge, cv == null ? null : (cvRoughness != null ? cvRoughness : new double[] {0, 1e-4, 1e-3, 1e-2, 1e-1}),
                    org.remcg.system.Cpus.available());
            if (cv != null && cv < 2) {
                throw new Main.BadInputException("--cv needs at least 2 folds");
            }
            DriftEstimator.Result res;
            String note;
            double dt = Double.NaN;
            try {
                if (data.drift() != null) {
                    res = DriftEstimator.fitExact(data, b, o);
                    note = "targets: exact CG drift A = grad xi . a + 1/2 (sigma sigma^T) : Hess xi from the drift columns; no discretization bias";
                } else {
                    dt = tr.uniformStep();
                    res = DriftEstimator.fitIncrements(data, b, dt, stride, !noRichardson, o);
                    note = noRichardson
                            ? "targets: increments over lag " + stride + " frames; the drift carries an O(lag dt) bias (E[dY]/h = b + h/2 L b + ...)"
                            : "targets: increments over lags " + stride + " and " + (2 * stride) + " frames, Richardson-extrapolated (2 b_K - b_2K): the O(lag dt) bias is removed, O((lag dt)^2) remains";
                }
            } catch (IllegalArgumentException e) {
                throw new Main.BadInputException(traj + ": " + e.getMessage());
            }
            Files.createDirectories(out);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("trajectory", traj.toString());
            json.put("map", map);
            json.put("dimension", m);
            json.put("basis", resolvedSpec(b));
            double[][] axes = new double[m][];
            for (int c = 0; c < m; c++) {
                axes[c] = new double[] {b.features().axis(c).lower(), b.features().axis(c).upper()};
            }
            json.put("basis_ranges", axes);
            json.put("functions", names(b));
            json.put("method", res.method());
            json.put("note", note);
            json.put("frames", res.frames());
            if (!Double.isNaN(dt)) {
                json.put("time_step", dt);
                json.put("lag", stride);
            }
            json.put("ridge", res.ridge());
            json.put("roughness", res.roughness());
            json.put("auto_ridge", res.autoRidge());
            if (res.autoRidge() > 0) {
                json.put("warning", "the least-squares system was ill-conditioned (basis functions without data or collinear); an automatic ridge of "
                        + res.autoRidge() + " was added");
            }
            json.put("coefficients", split(res.drift().coefficients(), m));
            json.put("coefficient_errors", diagErrors(res.drift()));
            Map<String, Object> diff = new LinkedHashMap<>();
            diff.put("source", data.sigma() != null ? "map and sigma: Sigma = grad xi (2 D I) grad xi^T" : "quadratic variation of the CG increments");
            diff.put("mean_sigma", res.meanSigma());
            diff.put("components", m == 1 ? List.of("S11") : List.of("S11", "S12", "S22"));
            diff.put("coefficients", split(res.diffusion().coefficients(), res.diffusion().outputs()));
            json.put("diffusion", diff);
            if (!res.cv().isEmpty()) {
                List<Map<String, Object>> cvs = new ArrayList<>();
                for (DriftEstimator.CvScore s : res.cv()) {
                    cvs.add(Map.of("ridge", s.ridge(), "roughness", s.roughness(), "heldout_loss", s.meanLoss(), "standard_error", s.standardError()));
                }
                json.put("cv", cvs);
            }
            Path csv = out.resolve("drift.csv");
            if (m == 1) {
                double dbar = res.meanSigma()[0] / 2;
                BasisField pmf = DriftAnalysis.pmfGradientDrift(data, b, dbar, res.ridge(), res.roughness(), blocks);
                double[] lim = quantiles(data.y(), 1, 0);
                int np = 201;
                double[] y = new double[np];
                double[] bv = new double[np];
                double[] be = new double[np];
                double[] pv = new double[np];
                double[] pe = new double[np];
                double[] v = new double[1];
                double[] e = new double[1];
                StringBuilder sb = new StringBuilder("y,b,b_err\n");
                StringBuilder pr = new StringBuilder("y,b,b_err,b_pmf,b_pmf_err,difference,sigma\n");
                for (int i = 0; i < np; i++) {
                    y[i] = lim[0] + (lim[1] - lim[0]) * i / (np - 1);
                    res.drift().evaluate(y[i], 0, v, e);
                    bv[i] = v[0];
                    be[i] = e[0];
                    pmf.evaluate(y[i], 0, v, e);
                    pv[i] = v[0];
                    pe[i] = e[0];
                    sb.append(String.format(Locale.ROOT, "%.8g,%.8g,%.4g%n", y[i], bv[i], be[i]));
                    pr.append(String.format(Locale.ROOT, "%.8g,%.8g,%.4g,%.8g,%.4g,%.8g,%.8g%n", y[i], bv[i], be[i], pv[i], pe[i],
                            bv[i] - pv[i], res.diffusion().value(y[i], 0)));
                }
                AtomicFiles.writeString(csv, sb.toString());
                AtomicFiles.writeString(out.resolve("profiles.csv"), pr.toString());
                json.put("pmf_gradient_drift", Map.of("diffusion_coefficient", dbar,
                        "description", "-D F'(y) with D = mean Sigma / 2 and the PMF F by score matching on the same basis",
                        "coefficients", pmf.coefficients()));
                DynamicsPlot.driftProfiles(out.resolve("drift.png"), y, bv, be, pv, pe, traj.getFileName() + ", map " + map);
            } else {
                double[] l0 = quantiles(data.y(), 2, 0);
                double[] l1 = quantiles(data.y(), 2, 1);
                int g = 41;
                StringBuilder sb = new StringBuilder("y1,y2,b1,b2,b1_err,b2_err\n");
                double[] v = new double[2];
                double[] e = new double[2];
                for (int i = 0; i < g; i++) {
                    for (int j = 0; j < g; j++) {
                        double y1 = l0[0] + (l0[1] - l0[0]) * i / (g - 1);
                        double y2 = l1[0] + (l1[1] - l1[0]) * j / (g - 1);
                        res.drift().evaluate(y1, y2, v, e);
                        sb.append(String.format(Locale.ROOT, "%.8g,%.8g,%.8g,%.8g,%.4g,%.4g%n", y1, y2, v[0], v[1], e[0], e[1]));
                    }
                }
                AtomicFiles.writeString(csv, sb.toString());
                double[] curl = DriftAnalysis.meanCurl(res.drift(), data, Math.max(1, data.frames() / 200000));
                json.put("mean_curl", curl[0]);
                json.put("mean_curl_error", curl[1]);
                json.put("rotational_part_detected", Math.abs(curl[0]) > 4 * curl[1]);
                DynamicsPlot.driftSections(out.resolve("drift.png"), res.drift(), data, l0, l1, traj.getFileName() + ", map " + map);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            json.put("seconds", seconds);
            AtomicFiles.write(out.resolve("result.json"), os -> DensityCommand.JSON.writeValue(os, json));
            log.printf(Locale.ROOT, "%d frames, %s, %d functions per component, method %s%s%n", res.frames(), resolvedSpec(b), b.size(),
                    res.method(), res.autoRidge() > 0 ? String.format(Locale.ROOT, " (automatic ridge %.3g added: ill-conditioned)", res.autoRidge()) : "");
            if (m == 2) {
                log.printf(Locale.ROOT, "mean curl of b: %.4g +- %.2g%n", json.get("mean_curl"), json.get("mean_curl_error"));
            }
            log.printf(Locale.ROOT, "wrote %s, %s and %s (%.2f s)%n", csv, out.resolve("result.json"), out.resolve("drift.png"), seconds);
            return 0;
        }
    }

    /** Default basis ranges: the map's natural range (angle) or the data range widened by 1 % on each side. */
    static double[][] ranges(CgData data, CgMap[] maps) {
        int m = data.m();
        double[][] r = new double[2][];
        for (int c = 0; c < 2; c++) {
            if (c >= m) {
                r[c] = new double[] {Double.NaN, Double.NaN};
                continue;
            }
            double[] nat = maps[c].naturalRange();
            if (nat != null) {
                r[c] = nat;
            } else {
                double[] lim = range(data.y(), m, c);
                double w = lim[1] - lim[0];
                r[c] = new double[] {lim[0] - 0.01 * w, lim[1] + 0.01 * w};
            }
        }
        return r;
    }

    static double[] range(double[] y, int m, int c) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = c; i < y.length; i += m) {
            lo = Math.min(lo, y[i]);
            hi = Math.max(hi, y[i]);
        }
        if (!(hi > lo)) {
            throw new Main.BadInputException("the CG variable is constant on the data (" + lo + ")");
        }
        return new double[] {lo, hi};
    }

    /** The 0.1 % and 99.9 % quantiles of component c: the range where drift.csv and the plots report b. */
    static double[] quantiles(double[] y, int m, int c) {
        int n = y.length / m;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = y[i * m + c];
        }
        java.util.Arrays.sort(v);
        double lo = v[(int) Math.floor(0.001 * (n - 1))];
        double hi = v[(int) Math.ceil(0.999 * (n - 1))];
        if (!(hi > lo)) {
            throw new Main.BadInputException("the CG variable is constant on the data (" + lo + ")");
        }
        return new double[] {lo, hi};
    }

    static String resolvedSpec(DriftBasis b) {
        return b.dimension() == 1 ? b.features().axis(0).spec() : b.features().axis(0).spec() + " x " + b.features().axis(1).spec();
    }

    static List<String> names(DriftBasis b) {
        List<String> n = new ArrayList<>();
        for (int k = 0; k < b.size(); k++) {
            n.add(b.name(k));
        }
        return n;
    }

    static double[][] split(double[] c, int outputs) {
        int k = c.length / outputs;
        double[][] s = new double[outputs][k];
        for (int j = 0; j < outputs; j++) {
            System.arraycopy(c, j * k, s[j], 0, k);
        }
        return s;
    }

    static double[][] diagErrors(BasisField f) {
        double[] c = f.coefficients();
        double[] cov = f.covariance();
        double[] e = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            e[i] = Math.sqrt(Math.max(0, cov[i * c.length + i]));
        }
        return split(e, f.outputs());
    }

    /** Rebuilds the drift and Sigma fields of a result.json written by fit. */
    static BasisField[] load(Path file) throws IOException {
        JsonNode j;
        try {
            j = org.remcg.io.YamlTree.readTree(DensityCommand.JSON, file, "JSON");
        } catch (DataFormatException e) {
            throw new Main.BadInputException(file + ": not a JSON file written by 'remcg dynamics fit' (" + e.problem() + ")");
        }
        if (j == null || !j.has("basis") || !j.has("coefficients") || !j.has("dimension") || !j.has("diffusion")) {
            throw new Main.BadInputException(file + ": not a result.json of 'remcg dynamics fit' (basis, coefficients, diffusion expected)");
        }
        int m = j.get("dimension").asInt();
        double[][] ranges = null;
        if (j.has("basis_ranges")) {
            ranges = new double[][] {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
            int c = 0;
            for (JsonNode r : j.get("basis_ranges")) {
                if (c < 2 && r.size() == 2) {
                    ranges[c] = new double[] {r.get(0).asDouble(), r.get(1).asDouble()};
                }
                c++;
            }
        }
        if (ranges == null && j.has("map")) {
            CgMap[] maps = CgMap.parseAll(j.get("map").asText());
            ranges = new double[][] {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
            for (int c = 0; c < Math.min(2, maps.length); c++) {
                if (maps[c].naturalRange() != null) {
                    ranges[c] = maps[c].naturalRange();
                }
            }
        }
        DriftBasis b = DriftBasis.parse(j.get("basis").asText(), m, ranges);
        double[] c = flat(j.get("coefficients"), m * b.size(), file);
        int so = m == 1 ? 1 : 3;
        double[] s = flat(j.get("diffusion").get("coefficients"), so * b.size(), file);
        return new BasisField[] {new BasisField(b, m, c, null), new BasisField(b, so, s, null)};
    }

    private static double[] flat(JsonNode rows, int n, Path file) {
        double[] out = new double[n];
        int k = 0;
        for (JsonNode r : rows) {
            for (JsonNode v : r) {
                if (k >= n || !v.isNumber()) {
                    throw new Main.BadInputException(file + ": coefficient arrays do not match the basis");
                }
                out[k++] = v.asDouble();
            }
        }
        if (k != n) {
            throw new Main.BadInputException(file + ": expected " + n + " coefficients, found " + k);
        }
        return out;
    }

    // ------------------------------------------------------------------ compare

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Simulate the fitted CG model dY = b(Y) dt + Sigma(Y)^(1/2) dW (1-D or 2-D) and compare it with the fine trajectory: "
                    + "stationary densities, autocorrelation functions, first-passage times (per component).")
    static final class Compare implements Callable<Integer> {
        @Option(names = "--traj", converter = InputFile.class, required = true, description = "Fine trajectory CSV.")
        Path traj;
        @Option(names = "--map", required = true, description = "The CG map used in the fit.")
        String map;
        @Option(names = "--model", converter = InputFile.class, required = true, description = "result.json of 'remcg dynamics fit'.")
        Path model;
        @Option(names = "--levels", split = ",", description = "Two levels A,B for first-passage times (default: the 10 %% and 90 %% quantiles).")
        double[] levels;
        @Option(names = "--dt", description = "CG time step (default: the frame spacing / 10).")
        Double dt;
        @Option(names = "--time", description = "CG simulation time (default: the duration of the fine trajectory).")
        Double time;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;
        @Option(names = "--quiet", description = "Print nothing but errors.")
        boolean quiet;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, DataFormatException {
            PrintWriter log = log(quiet, spec);
            BasisField[] f = load(model);
            BasisField b = f[0];
            BasisField s = f[1];
            int m = b.outputs();
            Trajectory tr = TrajectoryCsv.read(traj);
            CgMap[] maps = CgMap.parseAll(map);
            if (maps.length != m) {
                throw new Main.BadInputException("the model is " + m + "-D but --map gives " + maps.length + " map(s)");
            }
            if (levels != null && levels.length != 2) {
                throw new Main.BadInputException("--levels takes two values A,B");
            }
            CgData data = CgData.map(tr, maps, null);
            double frame = tr.uniformStep();
            double[] y = data.y();
            int n = data.frames();
            double h = dt == null ? frame / 10 : dt;
            if (!(h > 0)) {
                throw new Main.BadInputException("--dt must be positive");
            }
            int stride = Math.max(1, (int) Math.round(frame / h));
            double total = time == null ? tr.times()[n - 1] - tr.times()[0] : time;
            double[] lo = new double[m];
            double[] hi = new double[m];
            boolean[] periodic = new boolean[m];
            double[] floor = new double[m];
            for (int c = 0; c < m; c++) {
                lo[c] = b.basis().features().axis(c).lower();
                hi[c] = b.basis().features().axis(c).upper();
                periodic[c] = b.basis().features().axis(c).periodic();
            }
            int[] idx = new int[b.basis().maxNonZero()];
            double[] val = new double[b.basis().maxNonZero()];
            double[] v = new double[m];
            double[] sv = new double[s.outputs()];
            int cnt = 0;
            for (int i = 0; i < n; i += Math.max(1, n / 10000)) {
                s.evaluate(y[i * m], m == 2 ? y[i * m + 1] : 0, sv, null, idx, val);
                floor[0] += sv[0];
                if (m == 2) {
                    floor[1] += sv[2];
                }
                cnt++;
            }
            for (int c = 0; c < m; c++) {
                floor[c] *= 0.05 / cnt;
            }
            long nf = (long) Math.ceil(total / (stride * h)) + 1;
            Limits.memory("--time / --dt: " + nf + " CG frames", 8.0 * nf * m, "lower --time or raise --dt");
            if (nf * m > Integer.MAX_VALUE - 8) {
                throw new Main.BadInputException("--time / --dt give too many CG frames");
            }
            int frames = (int) nf;
            double[] cg = new double[frames * m];
            SplittableRandom rng = new SplittableRandom(seed);
            double[] cur = java.util.Arrays.copyOfRange(y, 0, m);
            double sq = Math.sqrt(h);
            System.arraycopy(cur, 0, cg, 0, m);
            for (int k = 1; k < frames; k++) {
                for (int st = 0; st < stride; st++) {
                    double y2 = m == 2 ? cur[1] : 0;
                    b.evaluate(cur[0], y2, v, null, idx, val);
                    s.evaluate(cur[0], y2, sv, null, idx, val);
                    double l11 = Math.sqrt(Math.max(sv[0], floor[0]));
                    double g1 = rng.nextGaussian();
                    cur[0] += v[0] * h + l11 * sq * g1;
                    if (m == 2) {
                        double l21 = sv[1] / l11;
                        double l22 = Math.sqrt(Math.max(sv[2] - l21 * l21, floor[1]));
                        cur[1] += v[1] * h + (l21 * g1 + l22 * rng.nextGaussian()) * sq;
                    }
                    for (int c = 0; c < m; c++) {
                        double p = hi[c] - lo[c];
                        if (periodic[c]) {
                            cur[c] = cur[c] - p * Math.floor((cur[c] - lo[c]) / p);
                        } else if (cur[c] < lo[c]) {
                            cur[c] = 2 * lo[c] - cur[c];
                        } else if (cur[c] > hi[c]) {
                            cur[c] = 2 * hi[c] - cur[c];
                        }
                    }
                }
                System.arraycopy(cur, 0, cg, k * m, m);
            }
            double fs = stride * h;
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("cg_time_step", h);
            List<double[][]> hfs = new ArrayList<>();
            List<double[][]> hcs = new ArrayList<>();
            List<double[][]> afs = new ArrayList<>();
            List<double[][]> acs = new ArrayList<>();
            List<Map<String, Object>> comps = new ArrayList<>();
            for (int c = 0; c < m; c++) {
                double[] yc = component(y, m, c);
                double[] cc = component(cg, m, c);
                double[] sorted = yc.clone();
                java.util.Arrays.sort(sorted);
                double a = levels != null && c == 0 ? levels[0] : sorted[n / 10];
                double bb = levels != null && c == 0 ? levels[1] : sorted[9 * n / 10];
                Map<String, Object> cj = new LinkedHashMap<>();
                cj.put("map", maps[c].spec());
                cj.put("levels", new double[] {a, bb});
                cj.put("fine", stats(yc, frame, a, bb));
                cj.put("cg", stats(cc, fs, a, bb));
                double[] lim = {sorted[0], sorted[n - 1]};
                double[][] hf = hist(yc, lim, 60);
                double[][] hc = hist(cc, lim, 60);
                double kl = 0;
                for (int i = 0; i < 60; i++) {
                    if (hf[1][i] > 0 && hc[1][i] > 0) {
                        kl += hf[1][i] * (lim[1] - lim[0]) / 60 * Math.log(hf[1][i] / hc[1][i]);
                    }
                }
                cj.put("density_kl_fine_cg", kl);
                int maxLag = Math.min(n / 4, 2000);
                hfs.add(hf);
                hcs.add(hc);
                afs.add(acf(yc, frame, maxLag));
                acs.add(acf(cc, fs, (int) Math.round(maxLag * frame / fs)));
                comps.add(cj);
            }
            if (m == 1) {
                json.putAll(comps.get(0));
            } else {
                json.put("components", comps);
            }
            Files.createDirectories(out);
            AtomicFiles.write(out.resolve("compare.json"), os -> DensityCommand.JSON.writeValue(os, json));
            DynamicsPlot.compare(out.resolve("compare.png"), hfs, hcs, afs, acs, traj.getFileName() + " vs CG model");
            for (Map<String, Object> cj : comps) {
                log.printf(Locale.ROOT, "%s fine: %s%n%s cg:   %s%n", cj.get("map"), cj.get("fine"), cj.get("map"), cj.get("cg"));
            }
            log.printf(Locale.ROOT, "wrote %s and %s%n", out.resolve("compare.json"), out.resolve("compare.png"));
            return 0;
        }
    }

    static double[] component(double[] y, int m, int c) {
        double[] o = new double[y.length / m];
        for (int i = 0; i < o.length; i++) {
            o[i] = y[i * m + c];
        }
        return o;
    }

    static Map<String, Object> stats(double[] y, double dt, double a, double b) {
        Map<String, Object> m = new LinkedHashMap<>();
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        m.put("mean", mean);
        m.put("variance", var / y.length);
        int sub = Math.max(1, (int) Math.round(0.05 / dt));
        int ns = y.length / sub;
        m.put("tau_int", ns > 100 ? TimeSeries.integratedTimeAcf(y, 0, sub, ns, sub * dt, 4000) : Double.NaN);
        TimeSeries.Estimate up = TimeSeries.meanOf(TimeSeries.passageTimes(y, 0, 1, y.length, dt, a, b));
        TimeSeries.Estimate dn = TimeSeries.meanOf(TimeSeries.passageTimes(y, 0, 1, y.length, dt, b, a));
        m.put("mfpt_a_to_b", up.mean());
        m.put("mfpt_a_to_b_error", up.standardError());
        m.put("passages_a_to_b", up.count());
        m.put("mfpt_b_to_a", dn.mean());
        m.put("mfpt_b_to_a_error", dn.standardError());
        m.put("passages_b_to_a", dn.count());
        return m;
    }

    static double[][] hist(double[] y, double[] lim, int bins) {
        double[] c = new double[bins];
        double[] d = new double[bins];
        double w = (lim[1] - lim[0]) / bins;
        int in = 0;
        for (double v : y) {
            int k = (int) Math.floor((v - lim[0]) / w);
            if (k == bins && v == lim[1]) {
                k--;
            }
            if (k >= 0 && k < bins) {
                d[k]++;
                in++;
            }
        }
        for (int k = 0; k < bins; k++) {
            c[k] = lim[0] + (k + 0.5) * w;
            d[k] /= Math.max(1, in) * w;
        }
        return new double[][] {c, d};
    }

    static double[][] acf(double[] y, double dt, int maxLag) {
        int n = y.length;
        int lags = Math.max(1, Math.min(maxLag, n / 4));
        int step = Math.max(1, lags / 200);
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= n;
        double c0 = 0;
        for (double v : y) {
            c0 += (v - mean) * (v - mean);
        }
        c0 /= n;
        int np = lags / step + 1;
        double[] t = new double[np];
        double[] r = new double[np];
        for (int p = 0; p < np; p++) {
            int k = p * step;
            double c = 0;
            for (int i = 0; i + k < n; i++) {
                c += (y[i] - mean) * (y[i + k] - mean);
            }
            t[p] = k * dt;
            r[p] = c / (n - k) / c0;
        }
        return new double[][] {t, r};
    }

    // ------------------------------------------------------------------ example

    @Command(name = "example", mixinStandardHelpOptions = true,
            description = "Run a dynamics example with exact references and write its table (Markdown, CSV) and plot: double-well | ring | rotating.")
    static final class Example implements Callable<Integer> {
        @Parameters(index = "0", description = "double-well | ring | rotating")
        String name;
        @Option(names = "--ratios", split = ",", defaultValue = "1,4,16,64", description = "double-well: time-scale ratios D2/D1 (default ${DEFAULT-VALUE}).")
        double[] ratios;
        @Option(names = "--gammas", split = ",", defaultValue = "0,0.25,0.5,1", description = "rotating: rotation strengths (default ${DEFAULT-VALUE}).")
        double[] gammas;
        @Option(names = "--time", defaultValue = "2500", description = "Simulated time per replica (default ${DEFAULT-VALUE}).")
        double time;
        @Option(names = "--replicas", defaultValue = "8", description = "Independent replicas (default ${DEFAULT-VALUE}).")
        int replicas;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;
        @Option(names = "--quiet", description = "Print nothing but errors.")
        boolean quiet;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter log = log(quiet, spec);
            if (replicas < 2 || !(time > 0)) {
                throw new Main.BadInputException("--replicas must be >= 2 and --time positive");
            }
            // each replica keeps a frame every 0.01 time units (position, drift and time: at most 5 numbers in 2-D)
            Limits.memory("--time / 0.01 x --replicas: " + (long) Math.ceil(time / 0.01 * replicas) + " frames", (time / 0.01 + 1) * replicas * 5 * 8,
                    "lower --time or --replicas");
            int threads = org.remcg.system.Cpus.available();
            long t0 = System.nanoTime();
            StringBuilder md = new StringBuilder();
            StringBuilder csv = new StringBuilder();
            Files.createDirectories(out);
            switch (name) {
                case "double-well": {
                    Diffusion1D cg = DynamicsExamples.doubleWellCg();
                    md.append(DynamicsExamples.DOUBLE_WELL_HEADER).append('\n');
                    csv.append("ratio,tau_fine,tau_fine_err,tau_cg,mfpt_fine,mfpt_fine_err,mfpt_cg,fit_rms,fit_err\n");
                    List<DynamicsExamples.DoubleWellRow> rows = new ArrayList<>();
                    for (int i = 0; i < ratios.length; i++) {
                        DynamicsExamples.DoubleWellRow r = DynamicsExamples.doubleWell(ratios[i], time, replicas, seed + i, threads, cg);
                        rows.add(r);
                        md.append(r.format()).append('\n');
                        csv.append(String.format(Locale.ROOT, "%g,%g,%g,%g,%g,%g,%g,%g,%g%n", r.ratio(), r.tauFine().mean(),
                                r.tauFine().standardError(), r.tauCg(), r.mfptFine().mean(), r.mfptFine().standardError(), r.mfptCg(),
                                r.fitRms(), r.fitErr()));
                        log.println(r.format());
                    }
                    TimeSeries.Estimate[] sim = DynamicsExamples.doubleWellCgSimulated(time, replicas, seed + 1000, threads);
                    String simLine = String.format(Locale.ROOT, "%nCG model with b* simulated and analysed like the fine runs (frames 0.01 apart): "
                            + "tau_int = %.3f +- %.3f, MFPT = %.3f +- %.3f (estimator bias: %+.1f %% and %+.1f %% against the exact values)%n",
                            sim[0].mean(), sim[0].standardError(), sim[1].mean(), sim[1].standardError(),
                            100 * (sim[0].mean() / cg.integratedTime(y -> y) - 1), 100 * (sim[1].mean() / cg.mfpt(-1, 1) - 1));
                    md.append(simLine);
                    log.print(simLine);
                    DynamicsPlot.doubleWell(out.resolve("double-well.png"), rows);
                    break;
                }
                case "ring": {
                    DynamicsExamples.RingResult r = DynamicsExamples.ring(time, replicas, seed, threads);
                    md.append(DynamicsExamples.RING_HEADER).append('\n');
                    csv.append("model,kl,mfpt_in,mfpt_in_err,mfpt_out,mfpt_out_err,tau,tau_err\n");
                    for (DynamicsExamples.RingRow row : r.rows()) {
                        md.append(row.format()).append('\n');
                        csv.append(String.format(Locale.ROOT, "\"%s\",%g,%g,%g,%g,%g,%g,%g%n", row.model(), row.kl(), row.mfptIn(),
                                row.mfptInErr(), row.mfptOut(), row.mfptOutErr(), row.tau(), row.tauErr()));
                    }
                    md.append(String.format(Locale.ROOT, "%nmean D = %.4f; max |G - F| on [-1.6, 1.6] = %.3f kT; fit: RMS(b_fit - b*) = %.3f "
                            + "(mean error bar %.3f), RMS(Sigma_fit - Sigma) = %.4f%n", r.meanDiffusion(), r.maxPotentialGap(), r.fitRms(),
                            r.fitErr(), r.sigmaRms()));
                    log.print(md);
                    DynamicsPlot.ring(out.resolve("ring.png"), DynamicsExamples.ringReference());
                    break;
                }
                case "rotating": {
                    md.append(DynamicsExamples.ROTATION_HEADER).append('\n');
                    csv.append("gamma,mean_curl,mean_curl_err,exact,z,fit_rms,fit_err\n");
                    for (int i = 0; i < gammas.length; i++) {
                        DynamicsExamples.RotationResult r = DynamicsExamples.rotating(gammas[i], time, replicas, seed + i, threads);
                        md.append(r.format()).append('\n');
                        csv.append(String.format(Locale.ROOT, "%g,%g,%g,%g,%g,%g,%g%n", r.gamma(), r.meanCurl(), r.meanCurlErr(),
                                r.exactMeanCurl(), r.z(), r.fitRms(), r.fitErr()));
                        log.println(r.format());
                    }
                    break;
                }
                default:
                    throw new Main.BadInputException("unknown example '" + name + "'; known: double-well, ring, rotating");
            }
            AtomicFiles.writeString(out.resolve("table.md"), md.toString());
            AtomicFiles.writeString(out.resolve("table.csv"), csv.toString());
            log.printf(Locale.ROOT, "wrote %s and %s (%.1f s)%n", out.resolve("table.md"), out.resolve("table.csv"), (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
