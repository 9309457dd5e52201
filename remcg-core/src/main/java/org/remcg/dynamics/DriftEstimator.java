package org.remcg.dynamics;

import org.ejml.data.DMatrixRMaj;
import org.remcg.numeric.SampleMean;
import org.remcg.optimize.LeastSquares;
import org.remcg.parallel.BlockReduce;
import org.remcg.system.Cpus;

import java.util.ArrayList;
import java.util.List;

/**
 * Least-squares estimation of a CG drift b(y) = sum_k c_k psi_k(y): the minimizer of the
 * path-space relative-entropy rate 1/2 E |b(Y) - A(X)|^2 in the metric Sigma(Y)^-1, plus
 * penalties (ridge/2 |c|^2 + roughness/2 c^T R c, strengths per frame).
 *
 * <p>The data enter only through normal equations G = sum Psi^T W Psi, h = sum Psi^T W A,
 * q = sum A^T W A, accumulated per contiguous block of frames (constant memory in the number of
 * frames; blocks run in parallel and are summed in order, so results do not depend on the thread
 * count). Per-block sums give blocked K-fold cross-validation of the penalty strengths (held-out
 * loss from the held-out blocks' G, h, q) and a delete-one-block jackknife covariance of c, from
 * which every b(y) gets a pointwise standard error.
 *
 * <p>The metric Sigma(y) is itself estimated on the same basis: from the per-frame
 * grad xi sigma sigma^T grad xi^T when sigma is known, or from the quadratic variation
 * dY dY^T / (k dt) of increments otherwise. When the fine drift is unknown the targets are the
 * increments (Y_{t+k} - Y_t) / (k dt); their O(k dt) bias (E[dY]/(k dt) = b + (k dt / 2) L b + ...)
 * is removed to first order by Richardson extrapolation between lags k and 2k (c = 2 c_k - c_2k).
 *
 * <p>A nearly singular system (a basis function without data, collinear features) gets an
 * automatic ridge of 1e-10 times its largest eigenvalue, reported in the result.
 */
public final class DriftEstimator {

    /** Relative eigenvalue floor below which the automatic ridge is added. */
    public static final double CONDITION_FLOOR = LeastSquares.CONDITION_FLOOR;

    /**
     * Fit options.
     *
     * @param ridge          ridge strength (used when no grid is given)
     * @param roughness      roughness strength (used when no grid is given)
     * @param blocks         number of contiguous blocks for the jackknife and the folds
     * @param folds          cross-validation folds (0 or 1: no cross-validation)
     * @param ridgeGrid      candidate ridge strengths for cross-validation (null: only {@code ridge})
     * @param roughnessGrid  candidate roughness strengths (null: only {@code roughness})
     * @param threads        threads for accumulation
     */
    public record Options(double ridge, double roughness, int blocks, int folds, double[] ridgeGrid, double[] roughnessGrid, int threads) {
        public Options {
            if (!(ridge >= 0) || !(roughness >= 0)) {
                throw new IllegalArgumentException("penalty strengths must be >= 0");
            }
            if (blocks < 2) {
                throw new IllegalArgumentException("need at least 2 blocks, got " + blocks);
            }
            if (folds > blocks) {
                throw new IllegalArgumentException("more folds (" + folds + ") than blocks (" + blocks + ")");
            }
        }

        public static Options defaults() {
            return new Options(0, 0, 32, 0, null, null, Cpus.available());
        }

        public Options withPenalty(double r, double rough) {
            return new Options(r, rough, blocks, folds, ridgeGrid, roughnessGrid, threads);
        }

        public Options withCv(int k, double[] ridges, double[] roughs) {
            return new Options(ridge, roughness, blocks, k, ridges, roughs, threads);
        }
    }

    /** Held-out loss of one penalty choice (mean over folds, standard error over folds). */
    public record CvScore(double ridge, double roughness, double meanLoss, double standardError) {
    }

    /**
     * A fitted drift.
     *
     * @param drift       b(y) with coefficient covariance (m outputs)
     * @param diffusion   Sigma(y) on the same basis: components (0,0) for 1-D; (0,0), (0,1), (1,1) for 2-D
     * @param ridge       chosen ridge
     * @param roughness   chosen roughness
     * @param autoRidge   automatic ridge added for conditioning (0 when none was needed)
     * @param cv          cross-validation scores (empty without CV)
     * @param frames      frames used
     * @param method      "exact-drift" or "increments" (with lag and Richardson flag)
     * @param meanSigma   mean of Sigma over the frames (m x m)
     */
    public record Result(BasisField drift, BasisField diffusion, double ridge, double roughness, double autoRidge,
                         List<CvScore> cv, long frames, String method, double[] meanSigma) {
        public int dimension() {
            return drift.outputs();
        }
    }

    private DriftEstimator() {
    }

    /** Per-frame data source for the accumulation. */
    interface Source {
        /** Number of frame indices. */
        int frames();

        /** Fills y (2), target (outputs) and weight (outputs^2) of frame i; returns false to skip the frame. */
        boolean frame(int i, double[] y, double[] target, double[] w);
    }

    /** Normal equations per contiguous block. */
    static final class Blocks {
        final int p;
        final int nb;
        final double[][] g;
        final double[][] h;
        final double[] q;
        final long[] n;

        Blocks(int p, int nb) {
            this.p = p;
            this.nb = nb;
            g = new double[nb][p * p];
            h = new double[nb][p];
            q = new double[nb];
            n = new long[nb];
        }

        double[] sumG(int skipFrom, int skipTo) {
            double[] s = new double[p * p];
            for (int b = 0; b < nb; b++) {
                if (b >= skipFrom && b < skipTo) {
                    continue;
                }
                double[] gb = g[b];
                for (int i = 0; i < s.length; i++) {
                    s[i] += gb[i];
                }
            }
            return s;
        }

        double[] sumH(int skipFrom, int skipTo) {
            double[] s = new double[p];
            for (int b = 0; b < nb; b++) {
                if (b >= skipFrom && b < skipTo) {
                    continue;
                }
                for (int i = 0; i < p; i++) {
                    s[i] += h[b][i];
                }
            }
            return s;
        }

        long sumN(int skipFrom, int skipTo) {
            long s = 0;
            for (int b = 0; b < nb; b++) {
                if (b < skipFrom || b >= skipTo) {
                    s += n[b];
                }
            }
            return s;
        }
    }

    static Blocks accumulate(DriftBasis basis, int outputs, Source src, int nb, int threads) {
        int k = basis.size();
        int p = outputs * k;
        Blocks blocks = new Blocks(p, nb);
        int nf = src.frames();
        BlockReduce.forEach("remcg-dyn", nb, threads, b -> {
            int from = (int) ((long) b * nf / nb);
            int to = (int) ((long) (b + 1) * nf / nb);
            double[] g = blocks.g[b];
            double[] h = blocks.h[b];
            int[] idx = new int[basis.maxNonZero()];
            double[] val = new double[basis.maxNonZero()];
            double[] y = new double[2];
            double[] tg = new double[outputs];
            double[] w = new double[outputs * outputs];
            double[] wt = new double[outputs];
            double q = 0;
            long cnt = 0;
            for (int i = from; i < to; i++) {
                if (!src.frame(i, y, tg, w)) {
                    continue;
                }
                cnt++;
                int nz = basis.evaluate(y[0], y[1], idx, val);
                for (int a = 0; a < outputs; a++) {
                    double s = 0;
                    for (int c = 0; c < outputs; c++) {
                        s += w[a * outputs + c] * tg[c];
                    }
                    wt[a] = s;
                    q += s * tg[a];
                }
                for (int a = 0; a < outputs; a++) {
                    int oa = a * k;
                    for (int u = 0; u < nz; u++) {
                        h[oa + idx[u]] += wt[a] * val[u];
                    }
                    for (int c = 0; c < outputs; c++) {
                        double wac = w[a * outputs + c];
                        if (wac == 0) {
                            continue;
                        }
                        int oc = c * k;
                        for (int u = 0; u < nz; u++) {
                            int row = (oa + idx[u]) * p + oc;
                            double wu = wac * val[u];
                            for (int v = 0; v < nz; v++) {
                                g[row + idx[v]] += wu * val[v];
                            }
                        }
                    }
                }
            }
            blocks.q[b] = q;
            blocks.n[b] = cnt;
        });
        return blocks;
    }

    /** Block-diagonal roughness over the outputs. */
    static double[] roughness(DriftBasis basis, int outputs) {
        int k = basis.size();
        int p = outputs * k;
        double[] r1 = basis.roughness();
        double[] r = new double[p * p];
        for (int j = 0; j < outputs; j++) {
            for (int a = 0; a < k; a++) {
                System.arraycopy(r1, a * k, r, (j * k + a) * p + j * k, k);
            }
        }
        return r;
    }

    /** M = G/n + ridge I + rough R ({@link LeastSquares#system}). */
    static DMatrixRMaj system(double[] g, long n, int p, double ridge, double rough, double[] r) {
        return LeastSquares.system(g, n, p, ridge, rough, r);
    }

    /** Automatic ridge for M ({@link LeastSquares#autoRidge}). */
    static double autoRidge(DMatrixRMaj m) {
        return LeastSquares.autoRidge(m);
    }

    static double[] solve(DMatrixRMaj m, double[] rhs, long n, double extraRidge) {
        return LeastSquares.solve(m, rhs, n, extraRidge);
    }

    /** Weighted squared residual sum of coefficients c on blocks [from, to): c^T G c - 2 c^T h + q. */
    static double loss(Blocks bl, int from, int to, double[] c) {
        double s = 0;
        for (int b = from; b < to; b++) {
            s += LeastSquares.residual(bl.g[b], bl.h[b], bl.q[b], c);
        }
        return s;
    }

    /** Outcome of fitting one set of blocks: coefficients, jackknife replicates, penalties. */
    record Solution(double[] coef, double[][] replicates, double ridge, double rough, double autoRidge, List<CvScore> cv) {
    }

    static Solution solveBlocks(Blocks bl, DriftBasis basis, int outputs, Options o, boolean crossValidate,
                                double fixedRidge, double fixedRough) {
        int p = bl.p;
        double[] r = roughness(basis, outputs);
        long nTot = bl.sumN(0, 0);
        if (nTot < p) {
            throw new IllegalArgumentException("only " + nTot + " usable frames for " + p + " coefficients");
        }
        double ridge = fixedRidge;
        double rough = fixedRough;
        List<CvScore> scores = new ArrayList<>();
        if (crossValidate && o.folds() >= 2) {
            double[] ridges = o.ridgeGrid() == null ? new double[] {o.ridge()} : o.ridgeGrid();
            double[] roughs = o.roughnessGrid() == null ? new double[] {o.roughness()} : o.roughnessGrid();
            double best = Double.POSITIVE_INFINITY;
            int kf = o.folds();
            for (double rg : ridges) {
                for (double rh : roughs) {
                    double[] fl = new double[kf];
                    for (int f = 0; f < kf; f++) {
                        int from = f * bl.nb / kf;
                        int to = (f + 1) * bl.nb / kf;
                        long nTrain = bl.sumN(from, to);
                        long nHeld = nTot - nTrain;
                        DMatrixRMaj m = system(bl.sumG(from, to), nTrain, p, rg, rh, r);
                        double[] c = solve(m, bl.sumH(from, to), nTrain, autoRidge(m));
                        fl[f] = loss(bl, from, to, c) / nHeld;
                    }
                    SampleMean cv = SampleMean.of(fl);
                    double mean = cv.mean();
                    scores.add(new CvScore(rg, rh, mean, cv.standardError()));
                    if (mean < best) {
                        best = mean;
                        ridge = rg;
                        rough = rh;
                    }
                }
            }
        }
        DMatrixRMaj m = system(bl.sumG(0, 0), nTot, p, ridge, rough, r);
        double auto = autoRidge(m);
        double[] coef = solve(m, bl.sumH(0, 0), nTot, auto);
        double[][] reps = new double[bl.nb][];
        for (int b = 0; b < bl.nb; b++) {
            long nb = bl.sumN(b, b + 1);
            if (nb == 0) {
                throw new IllegalArgumentException("no frames left when block " + b + " is removed");
            }
            reps[b] = solve(system(bl.sumG(b, b + 1), nb, p, ridge, rough, r), bl.sumH(b, b + 1), nb, auto);
        }
        return new Solution(coef, reps, ridge, rough, auto, scores);
    }

    /** Delete-one-block jackknife covariance of the replicates. */
    static double[] jackknife(double[][] reps) {
        int nb = reps.length;
        int p = reps[0].length;
        double[] mean = new double[p];
        for (double[] c : reps) {
            for (int i = 0; i < p; i++) {
                mean[i] += c[i] / nb;
            }
        }
        double[] cov = new double[p * p];
        for (double[] c : reps) {
            for (int i = 0; i < p; i++) {
                double di = c[i] - mean[i];
                for (int j = 0; j < p; j++) {
                    cov[i * p + j] += di * (c[j] - mean[j]);
                }
            }
        }
        double f = (nb - 1.0) / nb;
        for (int i = 0; i < cov.length; i++) {
            cov[i] *= f;
        }
        return cov;
    }

    /** Number of independent components of a symmetric m x m matrix. */
    static int sigmaOutputs(int m) {
        return m == 1 ? 1 : 3;
    }

    /** Wrapped value of component c at frame i (basis range checked). */
    private static void point(CgData data, DriftBasis basis, int i, double[] y) {
        int m = data.m();
        y[0] = basis.checkRange(0, data.y()[i * m], i);
        y[1] = m == 2 ? basis.checkRange(1, data.y()[i * m + 1], i) : 0;
    }

    private static double wrapDiff(double d, double period) {
        if (period <= 0) {
            return d;
        }
        return d - period * Math.rint(d / period);
    }

    /**
     * Fits b from the exact per-frame CG drift A (requires {@code data.drift()} and {@code data.sigma()}).
     */
    public static Result fitExact(CgData data, DriftBasis basis, Options o) {
        if (data.drift() == null || data.sigma() == null) {
            throw new IllegalArgumentException("the exact-drift fit needs the fine drift and the noise; use fitIncrements for positions only");
        }
        checkBasis(data, basis);
        int m = data.m();
        int n = data.frames();
        double[] probe = new double[2];
        for (int i = 0; i < n; i++) {
            point(data, basis, i, probe);
        }
        double[] s = data.sigma();
        BasisField sigmaField = fitSigma(data, basis, o, n, (i, v) -> {
            int mm = m * m;
            v[0] = s[i * mm];
            v[1] = m == 2 ? s[i * mm + 1] : 0;
            v[2] = m == 2 ? s[i * mm + 3] : 0;
        });
        double[] weights = weights(data, basis, sigmaField, n);
        double[] a = data.drift();
        Source src = new Source() {
            @Override public int frames() { return n; }

            @Override
            public boolean frame(int i, double[] y, double[] target, double[] w) {
                point(data, basis, i, y);
                System.arraycopy(a, i * m, target, 0, m);
                System.arraycopy(weights, i * m * m, w, 0, m * m);
                return true;
            }
        };
        Blocks bl = accumulate(basis, m, src, o.blocks(), o.threads());
        Solution sol = solveBlocks(bl, basis, m, o, true, o.ridge(), o.roughness());
        BasisField drift = new BasisField(basis, m, sol.coef(), jackknife(sol.replicates()));
        return new Result(drift, sigmaField, sol.ridge(), sol.rough(), sol.autoRidge(), sol.cv(), n, "exact-drift",
                meanSigma(data, n));
    }

    /**
     * Fits b from increments (Y_{t+k} - Y_t)/(k dt) at lag k = stride (and, with Richardson, also 2k,
     * combined as 2 b_k - b_2k). Sigma comes from the per-frame map noise when {@code data.sigma()} is known,
     * else from the quadratic variation at the same lags.
     */
    public static Result fitIncrements(CgData data, DriftBasis basis, double dt, int stride, boolean richardson, Options o) {
        checkBasis(data, basis);
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new IllegalArgumentException("time step must be positive, got " + dt);
        }
        int n = data.frames();
        double[] probe = new double[2];
        for (int i = 0; i < n; i++) {
            point(data, basis, i, probe);
        }
        int k2 = richardson ? 2 * stride : stride;
        if (stride < 1 || n - k2 < 4 * o.blocks()) {
            throw new IllegalArgumentException("lag " + k2 + " leaves too few frames (" + (n - k2) + ") for " + o.blocks() + " blocks");
        }
        Lagged first = lagged(data, basis, dt, stride, o, null, 0, 0);
        if (!richardson) {
            return first.result(n - stride, "increments(lag=" + stride + ")");
        }
        Lagged second = lagged(data, basis, dt, 2 * stride, o, first, first.sol.ridge(), first.sol.rough());
        int p = first.sol.coef().length;
        double[] c = new double[p];
        double[][] reps = new double[o.blocks()][p];
        for (int i = 0; i < p; i++) {
            c[i] = 2 * first.sol.coef()[i] - second.sol.coef()[i];
            for (int b = 0; b < o.blocks(); b++) {
                reps[b][i] = 2 * first.sol.replicates()[b][i] - second.sol.replicates()[b][i];
            }
        }
        BasisField sigma = first.sigma;
        if (data.sigma() == null) {
            double[] cs = new double[first.sigma.coefficients().length];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = 2 * first.sigma.coefficients()[i] - second.sigma.coefficients()[i];
            }
            sigma = new BasisField(basis, first.sigma.outputs(), cs, null);
        }
        BasisField drift = new BasisField(basis, data.m(), c, jackknife(reps));
        return new Result(drift, sigma, first.sol.ridge(), first.sol.rough(), Math.max(first.sol.autoRidge(), second.sol.autoRidge()),
                first.sol.cv(), n - 2L * stride, "increments(lag=" + stride + ",richardson=" + (2 * stride) + ")",
                first.meanSigma);
    }

    private record Lagged(Solution sol, BasisField sigma, double[] meanSigma, CgData data, DriftBasis basis) {
        Result result(long frames, String method) {
            return new Result(new BasisField(basis, data.m(), sol.coef(), jackknife(sol.replicates())), sigma,
                    sol.ridge(), sol.rough(), sol.autoRidge(), sol.cv(), frames, method, meanSigma);
        }
    }

    private static Lagged lagged(CgData data, DriftBasis basis, double dt, int lag, Options o, Lagged cvFrom,
                                 double ridge, double rough) {
        int m = data.m();
        int n = data.frames();
        double[] yy = data.y();
        double[] per = data.periods();
        double h = lag * dt;
        BasisField sigmaField;
        double[] meanSig;
        if (data.sigma() != null) {
            double[] s = data.sigma();
            sigmaField = fitSigma(data, basis, o, n, (i, v) -> {
                v[0] = s[i * m * m];
                v[1] = m == 2 ? s[i * 4 + 1] : 0;
                v[2] = m == 2 ? s[i * 4 + 3] : 0;
            });
            meanSig = meanSigma(data, n);
        } else {
            sigmaField = fitSigma(data, basis, o, n - lag, (i, v) -> {
                double d0 = wrapDiff(yy[(i + lag) * m] - yy[i * m], per[0]);
                double d1 = m == 2 ? wrapDiff(yy[(i + lag) * m + 1] - yy[i * m + 1], per[1]) : 0;
                v[0] = d0 * d0 / h;
                v[1] = d0 * d1 / h;
                v[2] = d1 * d1 / h;
            });
            meanSig = new double[m * m];
            for (int i = 0; i < n - lag; i++) {
                for (int p = 0; p < m; p++) {
                    for (int q = 0; q < m; q++) {
                        double dp = wrapDiff(yy[(i + lag) * m + p] - yy[i * m + p], per[p]);
                        double dq = wrapDiff(yy[(i + lag) * m + q] - yy[i * m + q], per[q]);
                        meanSig[p * m + q] += dp * dq / h / (n - lag);
                    }
                }
            }
        }
        double[] weights = weights(data, basis, sigmaField, n);
        Source src = new Source() {
            @Override public int frames() { return n; }

            @Override
            public boolean frame(int i, double[] y, double[] target, double[] w) {
                if (i + lag >= n) {
                    return false;
                }
                point(data, basis, i, y);
                for (int c = 0; c < m; c++) {
                    target[c] = wrapDiff(yy[(i + lag) * m + c] - yy[i * m + c], per[c]) / h;
                }
                System.arraycopy(weights, i * m * m, w, 0, m * m);
                return true;
            }
        };
        Blocks bl = accumulate(basis, m, src, o.blocks(), o.threads());
        Solution sol = cvFrom == null ? solveBlocks(bl, basis, m, o, true, o.ridge(), o.roughness())
                : solveBlocks(bl, basis, m, o, false, ridge, rough);
        return new Lagged(sol, sigmaField, meanSig, data, basis);
    }

    private static void checkBasis(CgData data, DriftBasis basis) {
        if (basis.dimension() != data.m()) {
            throw new IllegalArgumentException("the basis is " + basis.dimension() + "-D but the CG variable has " + data.m() + " components");
        }
    }

    /** Writes the three Sigma components (00, 01, 11) of frame i. */
    @FunctionalInterface
    interface FrameValues {
        void values(int i, double[] out);
    }

    /** Fits Sigma(y) components (unweighted least squares with the given penalties) from per-frame values. */
    private static BasisField fitSigma(CgData data, DriftBasis basis, Options o, int frames,
                                       FrameValues perFrame) {
        int m = data.m();
        int outs = sigmaOutputs(m);
        ThreadLocal<double[]> scratch = ThreadLocal.withInitial(() -> new double[3]);
        Source src = new Source() {
            @Override public int frames() { return frames; }

            @Override
            public boolean frame(int i, double[] y, double[] target, double[] w) {
                point(data, basis, i, y);
                double[] v = target.length >= 3 ? target : scratch.get();
                perFrame.values(i, v);
                if (m == 1) {
                    target[0] = v[0];
                }
                java.util.Arrays.fill(w, 0.0);
                for (int c = 0; c < outs; c++) {
                    w[c * outs + c] = 1;
                }
                return true;
            }
        };
        Blocks bl = accumulate(basis, outs, src, o.blocks(), o.threads());
        Solution sol = solveBlocks(bl, basis, outs, o, false, o.ridge(), o.roughness());
        return new BasisField(basis, outs, sol.coef(), jackknife(sol.replicates()));
    }

    /** Per-frame metric Sigma(y_i)^-1 from the fitted Sigma field, floored to stay positive definite. */
    private static double[] weights(CgData data, DriftBasis basis, BasisField sigma, int n) {
        int m = data.m();
        double[] out = new double[n * m * m];
        double[] v = new double[sigma.outputs()];
        double[] y = new double[2];
        int[] idx = new int[basis.maxNonZero()];
        double[] val = new double[basis.maxNonZero()];
        // floor: 5% of the mean diagonal
        double[] mean = new double[m];
        for (int i = 0; i < n; i++) {
            point(data, basis, i, y);
            sigma.evaluate(y[0], y[1], v, null, idx, val);
            mean[0] += v[0] / n;
            if (m == 2) {
                mean[1] += v[2] / n;
            }
        }
        for (int c = 0; c < m; c++) {
            if (!(mean[c] > 0)) {
                throw new IllegalArgumentException("the estimated CG noise covariance is not positive (mean " + mean[c] + ")");
            }
        }
        for (int i = 0; i < n; i++) {
            point(data, basis, i, y);
            sigma.evaluate(y[0], y[1], v, null, idx, val);
            if (m == 1) {
                out[i] = 1.0 / Math.max(v[0], 0.05 * mean[0]);
            } else {
                double a = Math.max(v[0], 0.05 * mean[0]);
                double d = Math.max(v[2], 0.05 * mean[1]);
                double b = v[1];
                double lim = 0.95 * Math.sqrt(a * d);
                b = Math.max(-lim, Math.min(lim, b));
                double det = a * d - b * b;
                out[i * 4] = d / det;
                out[i * 4 + 1] = -b / det;
                out[i * 4 + 2] = -b / det;
                out[i * 4 + 3] = a / det;
            }
        }
        return out;
    }

    private static double[] meanSigma(CgData data, int n) {
        int mm = data.m() * data.m();
        double[] s = new double[mm];
        if (data.sigma() == null) {
            return s;
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < mm; k++) {
                s[k] += data.sigma()[i * mm + k] / n;
            }
        }
        return s;
    }
}
