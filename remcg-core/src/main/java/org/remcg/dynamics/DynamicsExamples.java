package org.remcg.dynamics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The three dynamics examples with exact references (see docs/DYNAMICS.md), each a method that
 * simulates the fine process, fits the CG drift and returns the numbers of its table.
 * Fine trajectories run as independent replicas (per-replica seeds, both cores); standard errors
 * come from the spread over replicas or over independent passages.
 */
public final class DynamicsExamples {
    private DynamicsExamples() {
    }

    // ---------------------------------------------------------------- (a)

    /** Exact CG reference of the double well: dY = -F'(Y) dt + sqrt(2) dW (b* = -F', D1 = 1). */
    public static Diffusion1D doubleWellCg() {
        return Diffusion1D.fromPotential(-3, 3, 6001, ModelSystems::doubleWellPmf, y -> 1);
    }

    /**
     * One row of table (a).
     *
     * @param tauFine  integrated autocorrelation time of y in the fine process (over replicas)
     * @param tauCg    the same for the CG model with b*, exact
     * @param mfptFine mean first-passage time between the wells (y from -1 to 1 and back, pooled)
     * @param mfptCg   the same for the CG model, exact
     * @param fitRms   RMS over y in [-1.5, 1.5] of (fitted b - b*) on replica 0
     * @param fitErr   mean jackknife standard error of the fitted b on the same grid
     */
    public record DoubleWellRow(double ratio, TimeSeries.Estimate tauFine, double tauCg, TimeSeries.Estimate mfptFine,
                                double mfptCg, double fitRms, double fitErr) {
        public double tauError() { return tauFine.mean() / tauCg - 1; }
        public double mfptError() { return mfptFine.mean() / mfptCg - 1; }

        public String format() {
            return String.format(Locale.ROOT, "| %g | %.3f +- %.3f | %.3f | %+.1f %% | %.3f +- %.3f | %.3f | %+.1f %% | %.3f (%.3f) |",
                    ratio, tauFine.mean(), tauFine.standardError(), tauCg, 100 * tauError(),
                    mfptFine.mean(), mfptFine.standardError(), mfptCg, 100 * mfptError(), fitRms, fitErr);
        }
    }

    /** Header of table (a) in Markdown. */
    public static final String DOUBLE_WELL_HEADER =
            "| D2/D1 | tau_int fine | tau_int CG (exact) | error | MFPT fine | MFPT CG (exact) | error | RMS(b_fit - b*) (mean error bar) |\n"
            + "|---|---|---|---|---|---|---|---|";

    /**
     * The CG model dY = b*(Y) dt + sqrt(2) dW simulated and analysed exactly like the fine runs (frames
     * every 0.01, the same estimators): {tau_int, MFPT}. Its offset from the exact values measures the
     * bias of the estimators themselves (passages detected on frames only, finite ACF window).
     */
    public static TimeSeries.Estimate[] doubleWellCgSimulated(double time, int replicas, long seed, int threads) {
        int n = 6001;
        double lo = -3;
        double h = 6.0 / (n - 1);
        double[] tab = new double[n];
        for (int i = 0; i < n; i++) {
            tab[i] = ModelSystems.doubleWellOptimalDrift(lo + i * h);
        }
        Drift drift = (x, a) -> {
            double u = Math.max(0, Math.min(n - 1.000001, (x[0] - lo) / h));
            int i = (int) u;
            double f = u - i;
            a[0] = (1 - f) * tab[i] + f * tab[i + 1];
        };
        SdeSystem cg = new SdeSystem("double-well CG", 1, drift, Diffusion.isotropic(1, 1), new double[] {-1});
        Trajectory[] tr = SdeIntegrator.ensemble(cg, SdeIntegrator.Scheme.WEAK2, null, 1e-3, (long) Math.ceil(time / 1e-3), 10,
                SdeIntegrator.seeds(seed, replicas), false, threads);
        double[] taus = new double[replicas];
        List<Double> passages = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            double[] y = tr[r].positions();
            taus[r] = TimeSeries.integratedTimeAcf(y, 0, 5, y.length / 5, 0.05, 4000);
            for (double v : TimeSeries.passageTimes(y, 0, 1, y.length, 0.01, -1, 1)) {
                passages.add(v);
            }
            for (double v : TimeSeries.passageTimes(y, 0, 1, y.length, 0.01, 1, -1)) {
                passages.add(v);
            }
        }
        return new TimeSeries.Estimate[] {TimeSeries.meanOf(taus),
            TimeSeries.meanOf(passages.stream().mapToDouble(Double::doubleValue).toArray())};
    }

    /**
     * Simulates the double well at one time-scale ratio: {@code replicas} trajectories of duration
     * {@code time} each (time step min(2e-3, 0.01 / ratio), frames every 0.01).
     */
    public static DoubleWellRow doubleWell(double ratio, double time, int replicas, long seed, int threads, Diffusion1D cg) {
        SdeSystem s = ModelSystems.doubleWell(ratio);
        double dt = Math.min(2e-3, 0.01 / ratio);
        int stride = Math.max(1, (int) Math.round(0.01 / dt));
        double frameDt = stride * dt;
        long steps = (long) Math.ceil(time / dt);
        Trajectory[] tr = SdeIntegrator.ensemble(s, SdeIntegrator.Scheme.WEAK2, null, dt, steps, stride,
                SdeIntegrator.seeds(seed, replicas), true, threads);
        double[] taus = new double[replicas];
        List<Double> passages = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            Trajectory t = tr[r];
            taus[r] = TimeSeries.integratedTimeAcf(t.positions(), 0, 2 * 5, t.frames() / 5, 5 * frameDt, 4000);
            for (double v : TimeSeries.passageTimes(t.positions(), 0, 2, t.frames(), frameDt, -1, 1)) {
                passages.add(v);
            }
            for (double v : TimeSeries.passageTimes(t.positions(), 0, 2, t.frames(), frameDt, 1, -1)) {
                passages.add(v);
            }
        }
        double[] pv = passages.stream().mapToDouble(Double::doubleValue).toArray();
        CgData data = CgData.map(tr[0], CgMap.parseAll("x1"), s.diffusion());
        DriftEstimator.Result fit = DriftEstimator.fitExact(data, DriftBasis.parse("bspline:24:-2.5,2.5", 1, null),
                DriftEstimator.Options.defaults());
        double[] err = driftErrors(fit, 1.5, ModelSystems::doubleWellOptimalDrift, null);
        return new DoubleWellRow(ratio, TimeSeries.meanOf(taus), cg.integratedTime(y -> y), TimeSeries.meanOf(pv),
                cg.mfpt(-1, 1), err[0], err[1]);
    }

    /**
     * The fitted drift on y = -lim, -lim + 0.05, ..., lim: its RMS error against {@code exactDrift}, its mean error
     * bar and, when {@code exactSigma} is given, the RMS error of the fitted Sigma against it (NaN without).
     */
    static double[] driftErrors(DriftEstimator.Result fit, double lim, java.util.function.DoubleUnaryOperator exactDrift,
            java.util.function.DoubleUnaryOperator exactSigma) {
        double[] b = new double[1];
        double[] e = new double[1];
        double ss = 0;
        double se = 0;
        double sig = 0;
        int n = 0;
        for (double y = -lim; y <= lim + 1e-9; y += 0.05) {
            fit.drift().evaluate(y, 0, b, e);
            double d = b[0] - exactDrift.applyAsDouble(y);
            ss += d * d;
            se += e[0];
            if (exactSigma != null) {
                double ds = fit.diffusion().value(y, 0) - exactSigma.applyAsDouble(y);
                sig += ds * ds;
            }
            n++;
        }
        return new double[] {Math.sqrt(ss / n), se / n, exactSigma != null ? Math.sqrt(sig / n) : Double.NaN};
    }

    // ---------------------------------------------------------------- (b)

    /** Angular range of the ring references. */
    public static final double RING_LO = -Math.PI;
    public static final double RING_HI = Math.PI;
    /** Passage levels near the two wells of the angular PMF (small radius at -1.1, large at +1.1). */
    public static final double RING_IN = -1.1;
    public static final double RING_OUT = 1.1;

    /**
     * Exact references of the ring example: the PMF F(r), the effective diffusion D(r) = Sigma(r)/2 and
     * b*(r) on a grid, and three CG models built from them.
     */
    public record RingReference(double[] theta, double[] pmf, double[] diffusion, double[] optimalDrift, double meanDiffusion,
                                Diffusion1D bStarModel, Diffusion1D pmfModel, Diffusion1D naiveModel) {

        /** max |(G - F)| over [-1.6, 1.6] after matching at theta = RING_OUT, G = -int b* / mean D (the potential a constant-D model reads off b*). */
        public double maxPotentialGap() {
            double h = theta[1] - theta[0];
            int i0 = (int) Math.round((RING_OUT - theta[0]) / h);
            double[] g = new double[theta.length];
            for (int i = 1; i < theta.length; i++) {
                g[i] = g[i - 1] - 0.5 * h * (optimalDrift[i] + optimalDrift[i - 1]) / meanDiffusion;
            }
            double max = 0;
            for (int i = 0; i < theta.length; i++) {
                if (theta[i] >= -1.6 && theta[i] <= 1.6) {
                    max = Math.max(max, Math.abs((g[i] - g[i0]) - (pmf[i] - pmf[i0])));
                }
            }
            return max;
        }
    }

    public static RingReference ringReference() {
        int n = 6001;
        double h = (RING_HI - RING_LO) / (n - 1);
        double[] r = new double[n];
        double[] f = new double[n];
        double[] d = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = RING_LO + i * h;
            double[] q = ModelSystems.ringReference(r[i]);
            f[i] = q[0];
            d[i] = q[1];
            b[i] = q[2];
        }
        Diffusion1D exact = Diffusion1D.fromPotential(RING_LO, RING_HI, n, y -> interp(r, f, y), y -> interp(r, d, y));
        double dbar = exact.mean(y -> interp(r, d, y));
        Diffusion1D pmf = Diffusion1D.fromPotential(RING_LO, RING_HI, n, y -> interp(r, f, y), y -> dbar);
        Diffusion1D naive = Diffusion1D.fromDrift(RING_LO, RING_HI, n, y -> interp(r, b, y), y -> dbar);
        return new RingReference(r, f, d, b, dbar, exact, pmf, naive);
    }

    static double interp(double[] x, double[] v, double y) {
        double h = x[1] - x[0];
        double u = (y - x[0]) / h;
        int i = Math.max(0, Math.min(x.length - 2, (int) Math.floor(u)));
        double t = u - i;
        return (1 - t) * v[i] + t * v[i + 1];
    }

    /** One model row of table (b). */
    public record RingRow(String model, double kl, double mfptIn, double mfptInErr, double mfptOut, double mfptOutErr,
                          double tau, double tauErr) {
        public String format() {
            return String.format(Locale.ROOT, "| %s | %.4f | %.3f%s | %.3f%s | %.3f%s |", model, kl,
                    mfptIn, err(mfptInErr), mfptOut, err(mfptOutErr), tau, err(tauErr));
        }

        private static String err(double e) {
            return Double.isNaN(e) ? "" : String.format(Locale.ROOT, " +- %.3f", e);
        }
    }

    public static final String RING_HEADER =
            "| model | KL(p_fine \\|\\| p_model) | MFPT +1.1 -> -1.1 | MFPT -1.1 -> +1.1 | tau_int of theta |\n|---|---|---|---|---|";

    /** Result of example (b): the table rows, the potential gap and the drift fit check. */
    public record RingResult(List<RingRow> rows, double maxPotentialGap, double meanDiffusion, double fitRms, double fitErr,
                             double sigmaRms) {
    }

    /**
     * Example (b): fine simulation of the ring (replicas x time, dt = 5e-4, frames every 0.01), its
     * histogram KL to p, passage times and tau of the angle; the three CG models exactly; and the fit
     * of b* and Sigma(theta) from replica 0 compared with quadrature on [-1.6, 1.6].
     */
    public static RingResult ring(double time, int replicas, long seed, int threads) {
        RingReference ref = ringReference();
        SdeSystem s = ModelSystems.ring();
        double dt = 5e-4;
        int stride = 20;
        double frameDt = dt * stride;
        Trajectory[] tr = SdeIntegrator.ensemble(s, SdeIntegrator.Scheme.WEAK2, null, dt, (long) Math.ceil(time / dt), stride,
                SdeIntegrator.seeds(seed, replicas), true, threads);
        double[] taus = new double[replicas];
        List<Double> in = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        int bins = 100;
        double[] hist = new double[bins];
        double blo = -2.2;
        double bhi = 2.2;
        long total = 0;
        CgData first = null;
        for (int k = 0; k < replicas; k++) {
            CgData d = CgData.map(tr[k], new CgMap[] {new CgMap.Angle()}, k == 0 ? s.diffusion() : null);
            if (k == 0) {
                first = d;
            }
            double[] y = d.y();
            taus[k] = TimeSeries.integratedTimeAcf(y, 0, 5, y.length / 5, 5 * frameDt, 4000);
            for (double v : TimeSeries.passageTimes(y, 0, 1, y.length, frameDt, RING_OUT, RING_IN)) {
                in.add(v);
            }
            for (double v : TimeSeries.passageTimes(y, 0, 1, y.length, frameDt, RING_IN, RING_OUT)) {
                out.add(v);
            }
            for (double v : y) {
                total++;
                int b = (int) Math.floor((v - blo) / (bhi - blo) * bins);
                if (b >= 0 && b < bins) {
                    hist[b]++;
                }
            }
        }
        // KL(histogram || model) with the model's bin masses: zero up to sampling noise for an exact density
        List<RingRow> rows = new ArrayList<>();
        TimeSeries.Estimate ti = TimeSeries.meanOf(in.stream().mapToDouble(Double::doubleValue).toArray());
        TimeSeries.Estimate to = TimeSeries.meanOf(out.stream().mapToDouble(Double::doubleValue).toArray());
        TimeSeries.Estimate tt = TimeSeries.meanOf(taus);
        rows.add(new RingRow("fine (simulation)", histKl(hist, total, blo, bhi, ref.bStarModel()), ti.mean(), ti.standardError(),
                to.mean(), to.standardError(), tt.mean(), tt.standardError()));
        Diffusion1D[] models = {ref.bStarModel(), ref.pmfModel(), ref.naiveModel()};
        String[] names = {"b* with Sigma(theta) (path-space optimum)", "PMF gradient, constant mean D", "b* with constant mean D"};
        for (int m = 0; m < 3; m++) {
            Diffusion1D md = models[m];
            rows.add(new RingRow(names[m], ref.bStarModel().klTo(md), md.mfpt(RING_OUT, RING_IN), Double.NaN,
                    md.mfpt(RING_IN, RING_OUT), Double.NaN, md.integratedTime(v -> v), Double.NaN));
        }
        DriftEstimator.Result fit = DriftEstimator.fitExact(first, DriftBasis.parse("bspline:30:-2.8,2.8", 1, null),
                DriftEstimator.Options.defaults());
        double[] err = driftErrors(fit, 1.6, y -> ModelSystems.ringReference(y)[2], y -> 2 * ModelSystems.ringReference(y)[1]);
        return new RingResult(rows, ref.maxPotentialGap(), ref.meanDiffusion(), err[0], err[1], err[2]);
    }

    static double histKl(double[] hist, long total, double lo, double hi, Diffusion1D model) {
        int bins = hist.length;
        double w = (hi - lo) / bins;
        double inside = 0;
        for (double v : hist) {
            inside += v;
        }
        double kl = 0;
        for (int i = 0; i < bins; i++) {
            if (hist[i] == 0) {
                continue;
            }
            double a = lo + i * w;
            double q = model.mass(a, a + w) / model.mass(lo, hi);
            double p = hist[i] / inside;
            kl += p * Math.log(p / q);
        }
        return kl;
    }

    // ---------------------------------------------------------------- (c)

    /**
     * Example (c) result: the p-weighted mean curl of the fitted 2-D drift with its standard error,
     * the exact value gamma (12 &lt;y1^2&gt; - 3), and the RMS of (b_fit - b*) over the data.
     */
    public record RotationResult(double gamma, double meanCurl, double meanCurlErr, double exactMeanCurl, double fitRms,
                                 double fitErr) {
        public double z() {
            return meanCurl / meanCurlErr;
        }

        public String format() {
            return String.format(Locale.ROOT, "| %g | %.4f +- %.4f | %.4f | %.1f | %s | %.3f (%.3f) |", gamma, meanCurl, meanCurlErr,
                    exactMeanCurl, z(), Math.abs(z()) > 4 ? "yes" : "no", fitRms, fitErr);
        }
    }

    public static final String ROTATION_HEADER =
            "| gamma | mean curl of fitted b | exact | z | rotational part detected (abs z > 4) | RMS(b_fit - b*) (mean error bar) |\n"
            + "|---|---|---|---|---|---|";

    /** Example (c): simulate the rotating system, fit b on bspline:12 x bspline:12 and measure its curl. */
    public static RotationResult rotating(double gamma, double time, int replicas, long seed, int threads) {
        SdeSystem s = ModelSystems.rotating(gamma);
        double dt = 2e-3;
        int stride = 5;
        Trajectory[] tr = SdeIntegrator.ensemble(s, SdeIntegrator.Scheme.WEAK2, null, dt, (long) Math.ceil(time / dt), stride,
                SdeIntegrator.seeds(seed, replicas), true, threads);
        Trajectory all = concat(tr);
        CgData data = CgData.map(all, CgMap.parseAll("x1,x2"), s.diffusion());
        DriftBasis basis = DriftBasis.parse("bspline:12:-2.4,2.4 x bspline:12:-6,6", 2, null);
        DriftEstimator.Result fit = DriftEstimator.fitExact(data, basis, DriftEstimator.Options.defaults());
        double[] curl = DriftAnalysis.meanCurl(fit.drift(), data, 7);
        double[] b = new double[2];
        double[] e = new double[2];
        double[] ex = new double[2];
        double ss = 0;
        double se = 0;
        int n = 0;
        for (double y1 = -1.4; y1 <= 1.4 + 1e-9; y1 += 0.2) {
            for (double y2 = -1.5; y2 <= 1.5 + 1e-9; y2 += 0.25) {
                fit.drift().evaluate(y1, y2, b, e);
                ModelSystems.rotatingOptimalDrift(gamma, y1, y2, ex);
                ss += (b[0] - ex[0]) * (b[0] - ex[0]) + (b[1] - ex[1]) * (b[1] - ex[1]);
                se += Math.hypot(e[0], e[1]);
                n++;
            }
        }
        return new RotationResult(gamma, curl[0], curl[1], ModelSystems.rotatingMeanCurl(gamma), Math.sqrt(ss / n), se / n);
    }

    /** Concatenates trajectories of the same dimension (time made continuous) for one fit. */
    static Trajectory concat(Trajectory[] tr) {
        int d = tr[0].dimension();
        int n = 0;
        for (Trajectory t : tr) {
            n += t.frames();
        }
        double[] t = new double[n];
        double[] x = new double[n * d];
        double[] a = tr[0].hasDrift() ? new double[n * d] : null;
        int o = 0;
        double t0 = 0;
        for (Trajectory q : tr) {
            double[] tt = q.times();
            for (int i = 0; i < q.frames(); i++) {
                t[o + i] = t0 + tt[i] - tt[0];
            }
            System.arraycopy(q.positions(), 0, x, o * d, q.frames() * d);
            if (a != null) {
                System.arraycopy(q.drifts(), 0, a, o * d, q.frames() * d);
            }
            t0 = t[o + q.frames() - 1] + (tt[1] - tt[0]);
            o += q.frames();
        }
        return new Trajectory("replicas", d, t, x, a);
    }
}
