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
import org.remcg.dynamics.BasisField;
import org.remcg.dynamics.CgData;
import org.remcg.dynamics.CgMap;
import org.remcg.dynamics.Diffusion;
import org.remcg.dynamics.DriftAnalysis;
import org.remcg.dynamics.DriftBasis;
import org.remcg.dynamics.DriftEstimator;
import org.remcg.dynamics.Trajectory;
import org.remcg.dynamics.TrajectoryCsv;
import org.remcg.io.DataFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remcg dynamics fit}: the least-squares CG drift b(y) = E[A(X) | Y = y] in the Sigma^-1 metric
 * ({@link DriftEstimator}) of a trajectory CSV; writes result.json, drift.csv (and profiles.csv in 1-D) and drift.png.
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit the CG drift b(y) = E[A(X) | Y = y] by least squares in the Sigma^-1 metric (path-space relative entropy).")
public final class DynamicsFitCommand implements Callable<Integer> {
    @Option(names = "--traj", converter = InputFile.class, required = true, description = "Trajectory CSV: t,x1..xd[,a1..ad].") Path traj;
    @Option(names = "--map", required = true,
            description = "CG map: x1 | 0.5*x1+0.5*x2 | radius | angle; two comma-separated maps for a 2-D variable.")
    String map;
    @Option(names = "--basis", required = true, description = "bspline:K[:A,B] | legendre:K[:A,B] | fourier:K | cosine:K; for 2-D 'SPEC x SPEC'.")
    String basis;
    @Option(names = "--diffusion", description = "Fine diffusion coefficient D (sigma sigma^T = 2 D I): Sigma from the map.") Double diffusion;
    @Option(names = "--estimate-diffusion", description = "Estimate Sigma from the quadratic variation of the CG increments.") boolean estimate;
    @Option(names = "--stride", defaultValue = "1",
            description = "Lag K (frames) of the increments when the drift is estimated from positions (default ${DEFAULT-VALUE}).")
    int stride;
    @Option(names = "--no-richardson", description = "Do not extrapolate increments between lags K and 2K (keeps the O(K dt) bias).")
    boolean noRichardson;
    @Option(names = "--ridge", defaultValue = "0", description = "Ridge strength per frame (default ${DEFAULT-VALUE}).") double ridge;
    @Option(names = "--roughness", defaultValue = "0", description = "Roughness strength per frame (default ${DEFAULT-VALUE}).") double roughness;
    @Option(names = "--cv", description = "Blocked K-fold cross-validation over --cv-roughness (and --cv-ridge).") Integer cv;
    @Option(names = "--cv-roughness", split = ",", description = "Roughness strengths to try (default 0,1e-4,1e-3,1e-2,1e-1).") double[] cvRoughness;
    @Option(names = "--cv-ridge", split = ",", description = "Ridge strengths to try (default: --ridge).") double[] cvRidge;
    @Option(names = "--blocks", defaultValue = "32", description = "Contiguous blocks for the jackknife errors and folds (default ${DEFAULT-VALUE}).")
    int blocks;
    @Mixin RunOptions.OutputDirectory output;
    @Mixin Console console;

    @Override
    public Integer call() throws IOException, DataFormatException {
        PrintWriter log = console.log();
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
        DriftBasis b = DriftBasis.parse(basis, m, data.basisRanges(maps));
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
        Files.createDirectories(output.dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trajectory", traj.toString());
        json.put("map", map);
        json.put("dimension", m);
        json.put("basis", b.resolvedSpec());
        double[][] axes = new double[m][];
        for (int c = 0; c < m; c++) {
            axes[c] = new double[] {b.features().axis(c).lower(), b.features().axis(c).upper()};
        }
        json.put("basis_ranges", axes);
        json.put("functions", b.names());
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
        json.put("coefficients", res.drift().coefficientsByOutput());
        json.put("coefficient_errors", res.drift().standardErrorsByOutput());
        Map<String, Object> diff = new LinkedHashMap<>();
        diff.put("source", data.sigma() != null ? "map and sigma: Sigma = grad xi (2 D I) grad xi^T" : "quadratic variation of the CG increments");
        diff.put("mean_sigma", res.meanSigma());
        diff.put("components", m == 1 ? List.of("S11") : List.of("S11", "S12", "S22"));
        diff.put("coefficients", res.diffusion().coefficientsByOutput());
        json.put("diffusion", diff);
        if (!res.cv().isEmpty()) {
            List<Map<String, Object>> cvs = new ArrayList<>();
            for (DriftEstimator.CvScore s : res.cv()) {
                cvs.add(Map.of("ridge", s.ridge(), "roughness", s.roughness(), "heldout_loss", s.meanLoss(), "standard_error", s.standardError()));
            }
            json.put("cv", cvs);
        }
        Path csv = output.dir.resolve("drift.csv");
        if (m == 1) {
            double dbar = res.meanSigma()[0] / 2;
            BasisField pmf = DriftAnalysis.pmfGradientDrift(data, b, dbar, res.ridge(), res.roughness(), blocks);
            double[] lim = data.quantileRange(0);
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
            AtomicFiles.writeString(output.dir.resolve("profiles.csv"), pr.toString());
            json.put("pmf_gradient_drift", Map.of("diffusion_coefficient", dbar,
                    "description", "-D F'(y) with D = mean Sigma / 2 and the PMF F by score matching on the same basis",
                    "coefficients", pmf.coefficients()));
            DynamicsPlot.driftProfiles(output.dir.resolve("drift.png"), y, bv, be, pv, pe, traj.getFileName() + ", map " + map);
        } else {
            double[] l0 = data.quantileRange(0);
            double[] l1 = data.quantileRange(1);
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
            DynamicsPlot.driftSections(output.dir.resolve("drift.png"), res.drift(), data, l0, l1, traj.getFileName() + ", map " + map);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        json.put("seconds", seconds);
        Json.write(output.dir.resolve("result.json"), json);
        log.printf(Locale.ROOT, "%d frames, %s, %d functions per component, method %s%s%n", res.frames(), b.resolvedSpec(), b.size(),
                res.method(), res.autoRidge() > 0 ? String.format(Locale.ROOT, " (automatic ridge %.3g added: ill-conditioned)", res.autoRidge()) : "");
        if (m == 2) {
            log.printf(Locale.ROOT, "mean curl of b: %.4g +- %.2g%n", json.get("mean_curl"), json.get("mean_curl_error"));
        }
        log.printf(Locale.ROOT, "wrote %s, %s and %s (%.2f s)%n", csv, output.dir.resolve("result.json"), output.dir.resolve("drift.png"), seconds);
        return 0;
    }
}
