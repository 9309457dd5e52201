package org.remcg.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.remcg.dynamics.CgDynamics;
import org.remcg.dynamics.CgMap;
import org.remcg.dynamics.DriftBasis;
import org.remcg.dynamics.TimeSeries;
import org.remcg.dynamics.Trajectory;
import org.remcg.dynamics.TrajectoryCsv;
import org.remcg.io.DataFormatException;
import org.remcg.observe.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remcg dynamics compare}: simulates the fitted CG model ({@link CgDynamics}, by core's SDE integrator) and
 * compares it with the fine trajectory component by component (stationary densities, autocorrelation functions,
 * first-passage times: {@link TimeSeries}); writes compare.json and compare.png.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Simulate the fitted CG model dY = b(Y) dt + Sigma(Y)^(1/2) dW (1-D or 2-D) and compare it with the fine trajectory: "
                + "stationary densities, autocorrelation functions, first-passage times (per component).")
public final class DynamicsCompareCommand implements Callable<Integer> {
    @Option(names = "--traj", converter = InputFile.class, required = true, description = "Fine trajectory CSV.") Path traj;
    @Option(names = "--map", required = true, description = "The CG map used in the fit.") String map;
    @Option(names = "--model", converter = InputFile.class, required = true, description = "result.json of 'remcg dynamics fit'.") Path model;
    @Option(names = "--levels", split = ",", description = "Two levels A,B for first-passage times (default: the 10 %% and 90 %% quantiles).")
    double[] levels;
    @Option(names = "--dt", description = "CG time step (default: the frame spacing / 10).") Double dt;
    @Option(names = "--time", description = "CG simulation time (default: the duration of the fine trajectory).") Double time;
    @Mixin RunOptions.Seed seed;
    @Mixin RunOptions.OutputDirectory output;
    @Mixin Console console;

    @Override
    public Integer call() throws IOException, DataFormatException {
        PrintWriter log = console.log();
        BasisField[] f = load(model);
        int m = f[0].outputs();
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
        long nf = (long) Math.ceil(total / (stride * h)) + 1;
        Limits.memory("--time / --dt: " + nf + " CG frames", 8.0 * nf * m, "lower --time or raise --dt");
        if (nf * m > Integer.MAX_VALUE - 8) {
            throw new Main.BadInputException("--time / --dt give too many CG frames");
        }
        CgDynamics cgModel = CgDynamics.withDataFloor(f[0], f[1], y);
        Trajectory cgRun = cgModel.simulate(java.util.Arrays.copyOfRange(y, 0, m), h, (int) nf, stride, seed.value);
        double[] cg = cgRun.positions();
        double fs = stride * h;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cg_time_step", h);
        List<double[][]> hfs = new ArrayList<>();
        List<double[][]> hcs = new ArrayList<>();
        List<double[][]> afs = new ArrayList<>();
        List<double[][]> acs = new ArrayList<>();
        List<Map<String, Object>> comps = new ArrayList<>();
        for (int c = 0; c < m; c++) {
            double[] yc = data.component(c);
            double[] cc = new double[cg.length / m];
            for (int i = 0; i < cc.length; i++) {
                cc[i] = cg[i * m + c];
            }
            double[] sorted = yc.clone();
            java.util.Arrays.sort(sorted);
            double a = levels != null && c == 0 ? levels[0] : sorted[n / 10];
            double bb = levels != null && c == 0 ? levels[1] : sorted[9 * n / 10];
            Map<String, Object> cj = new LinkedHashMap<>();
            cj.put("map", maps[c].spec());
            cj.put("levels", new double[] {a, bb});
            cj.put("fine", stats(TimeSeries.summary(yc, frame, a, bb)));
            cj.put("cg", stats(TimeSeries.summary(cc, fs, a, bb)));
            double[][] hf = density(yc, sorted[0], sorted[n - 1]);
            double[][] hc = density(cc, sorted[0], sorted[n - 1]);
            double kl = 0;
            for (int i = 0; i < BINS; i++) {
                if (hf[1][i] > 0 && hc[1][i] > 0) {
                    kl += hf[1][i] * (sorted[n - 1] - sorted[0]) / BINS * Math.log(hf[1][i] / hc[1][i]);
                }
            }
            cj.put("density_kl_fine_cg", kl);
            int maxLag = Math.min(n / 4, 2000);
            hfs.add(hf);
            hcs.add(hc);
            afs.add(TimeSeries.autocorrelation(yc, frame, maxLag));
            acs.add(TimeSeries.autocorrelation(cc, fs, (int) Math.round(maxLag * frame / fs)));
            comps.add(cj);
        }
        if (m == 1) {
            json.putAll(comps.get(0));
        } else {
            json.put("components", comps);
        }
        Files.createDirectories(output.dir);
        Json.write(output.dir.resolve("compare.json"), json);
        DynamicsPlot.compare(output.dir.resolve("compare.png"), hfs, hcs, afs, acs, traj.getFileName() + " vs CG model");
        for (Map<String, Object> cj : comps) {
            log.printf(Locale.ROOT, "%s fine: %s%n%s cg:   %s%n", cj.get("map"), cj.get("fine"), cj.get("map"), cj.get("cg"));
        }
        log.printf(Locale.ROOT, "wrote %s and %s%n", output.dir.resolve("compare.json"), output.dir.resolve("compare.png"));
        return 0;
    }

    /** Bins of the stationary densities. */
    static final int BINS = 60;

    /** The density of y over [lo, hi] on {@link #BINS} bins, normalized over the values inside: {centres, density}. */
    static double[][] density(double[] y, double lo, double hi) {
        Histogram h = new Histogram(lo, hi, BINS);
        for (double v : y) {
            h.add(v, 0);
        }
        double[] c = new double[BINS];
        double[] d = new double[BINS];
        double inside = Math.max(1, h.total() - h.outside());
        for (int k = 0; k < BINS; k++) {
            c[k] = h.x().center(k);
            d[k] = h.count(k, 0) / (inside * ((hi - lo) / BINS));
        }
        return new double[][] {c, d};
    }

    /** One trajectory's summary in compare.json (and in the log line). */
    static Map<String, Object> stats(TimeSeries.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("variance", s.variance());
        m.put("tau_int", s.tauInt());
        m.put("mfpt_a_to_b", s.up().mean());
        m.put("mfpt_a_to_b_error", s.up().standardError());
        m.put("passages_a_to_b", s.up().count());
        m.put("mfpt_b_to_a", s.down().mean());
        m.put("mfpt_b_to_a_error", s.down().standardError());
        m.put("passages_b_to_a", s.down().count());
        return m;
    }

    /** Rebuilds the drift and Sigma fields of a result.json written by fit. */
    static BasisField[] load(Path file) throws IOException {
        JsonNode j;
        try {
            j = Json.read(file);
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
}
