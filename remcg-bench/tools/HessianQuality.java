import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.remcg.fit.EngineSampler;
import org.remcg.fit.RemFit;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.numeric.QuadraticForm;
import org.remcg.optimize.Checkpoint;
import org.remcg.optimize.Samples;
import org.remcg.simulate.Engine;

/**
 * How far a step on a sampled covariance Hessian can be trusted: at the last accepted point of a fit's
 * checkpoint, runs R full-length simulations, and for every chunk of C frames of each run estimates the
 * Hessian beta^2 Cov(phi) over the free coefficients (raw; shrunk towards its diagonal with the loop's weight
 * scaled by 1 and by 1/4; where HNC applies, the HNC Hessian alone and the sampled one shrunk towards it with
 * the loop's weight, 1/2 and 1/4), takes Levenberg-Marquardt steps bounded by radii of a few nats in
 * each estimate's own metric along the gradient of the other R - 1 runs, and measures each step on those
 * runs' Hessian: the decrease it achieves as a fraction of that Hessian's Newton decrease, and rho
 * (achieved over predicted). The gradient is the independent runs' (no noise of its own), so the table
 * shows the Hessian's share of the over-prediction alone. With HQ_CACHE=FILE the runs' features are kept
 * in FILE and read from it on the next call (the same checkpoint and configuration).
 *
 * <pre>remcg-bench/tools/hessian-quality.sh CONFIG CHECKPOINT [RUNS [CHUNKS]]</pre>
 */
public final class HessianQuality {
    private static final double[] RADII = {1, 2, 4, 8};
    private static final double[] SCALES = {1, 0.25};
    private static final int BLOCKS = 10;

    public static void main(String[] args) throws Exception {
        FitConfig cfg = FitConfig.read(Path.of(args[0]));
        Checkpoint cp = Checkpoint.read(Path.of(args[1]));
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int[] chunks = args.length > 3 ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {500, 1000, 2000};
        FitProblem p = FitProblem.build(cfg, s -> { }, s -> { });
        RemFit.Start start = p.start(s -> { });
        int[] tie = start.tie();
        int free = start.free();
        double beta = 1 / p.kT();
        double[] theta = cp.state().base();
        double[] target = reduce(p.targetMean(), tie, free);
        List<double[][]> phi = new ArrayList<>();
        Path cache = System.getenv("HQ_CACHE") == null ? null : Path.of(System.getenv("HQ_CACHE"));
        if (cache != null && java.nio.file.Files.exists(cache)) {
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(cache)))) {
                int rr = in.readInt();
                for (int r = 0; r < rr; r++) {
                    double[][] x = new double[in.readInt()][free];
                    for (double[] row : x) {
                        for (int k = 0; k < free; k++) {
                            row[k] = in.readDouble();
                        }
                    }
                    phi.add(x);
                }
            }
            runs = phi.size();
            System.out.printf(Locale.ROOT, "%d runs read from %s%n", runs, cache);
        } else try (Engine engine = p.engine(p.forceField(theta))) {
            EngineSampler s = p.sampler(engine);
            s.setPositions(cp.positions());
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                Samples smp = s.sample(theta, 1000 + r, 1.0);
                double[][] x = new double[smp.frames()][];
                double[] row = new double[smp.features()];
                for (int f = 0; f < smp.frames(); f++) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] = smp.phi(f, k);
                    }
                    x[f] = reduce(row, tie, free);
                }
                phi.add(x);
                System.out.printf(Locale.ROOT, "run %d: %d frames, %d free coefficients, %.0f s%n", r, x.length, free, (System.nanoTime() - t0) * 1e-9);
            }
            if (cache != null) {
                try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(cache)))) {
                    out.writeInt(phi.size());
                    for (double[][] x : phi) {
                        out.writeInt(x.length);
                        for (double[] row : x) {
                            for (double v : row) {
                                out.writeDouble(v);
                            }
                        }
                    }
                }
            }
        }
        double[] hncFull = org.remcg.fit.HncHessian.of(p.terms(), p.targets(), p.topology(), p.box().volume(), p.kT());
        double[] hnc = hncFull == null ? null : org.remcg.optimize.IterativeRem.freeMatrix(hncFull, tie, free);
        if (hnc != null) {
            List<double[]> all = new ArrayList<>();
            for (double[][] x : phi) {
                all.addAll(Arrays.asList(x));
            }
            double[][] allx = all.toArray(new double[0][]);
            double[] hall = covariance(allx, 0, allx.length, beta);
            double[] gAll = gradient(target, mean(allx, 0, allx.length), beta);
            double[] ratio = new double[free];
            for (int k = 0; k < free; k++) {
                ratio[k] = hnc[k * free + k] / hall[k * free + k];
            }
            Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "HNC Hessian: diagonal / sampled diagonal (all runs): min %.3f, quartiles %.3f %.3f %.3f, max %.3f%n",
                    ratio[0], ratio[free / 4], ratio[free / 2], ratio[3 * free / 4], ratio[free - 1]);
            double[] dn = solveNewton(hall, gAll, free);
            double[] dh = solveNewton(hnc, gAll, free);
            System.out.printf(Locale.ROOT, "Newton decrease on all runs: sampled %.3f; HNC step scored on the sampled Hessian %.3f (predicted by HNC %.3f)%n",
                    decrease(dn, gAll, hall, free), decrease(dh, gAll, hall, free), decrease(dh, gAll, hnc, free));
        }
        for (int c : chunks) {
            double[][][] sums = new double[6 + SCALES.length][RADII.length][2];
            String[] names = new String[sums.length];
            int samples = 0;
            double neffSum = 0;
            for (int r = 0; r < runs; r++) {
                List<double[]> others = new ArrayList<>();
                for (int o = 0; o < runs; o++) {
                    if (o != r) {
                        others.addAll(Arrays.asList(phi.get(o)));
                    }
                }
                double[][] ref = others.toArray(new double[0][]);
                double[] href = covariance(ref, 0, ref.length, beta);
                double[] g = gradient(target, mean(ref, 0, ref.length), beta);
                double ideal = decrease(solveNewton(href, g, free), g, href, free);
                double[][] x = phi.get(r);
                for (int from = 0; from + c <= x.length; from += c) {
                    double[] h = covariance(x, from, from + c, beta);
                    double neff = effectiveFrames(x, from, from + c, h, beta, free);
                    neffSum += neff;
                    double q = free / neff;
                    List<double[]> estimates = new ArrayList<>();
                    estimates.add(h);
                    names[0] = "raw";
                    int e = 1;
                    for (double scale : SCALES) {
                        estimates.add(shrink(h, free, scale * q / (1 + q)));
                        names[e++] = String.format(Locale.ROOT, "diagonal x%.2f", scale);
                    }
                    if (hnc != null) {
                        estimates.add(hnc);
                        names[e++] = "hnc";
                        for (double wt : new double[] {q / (1 + q), 0.5, 0.25}) {
                            double[] mixh = new double[h.length];
                            for (int i = 0; i < h.length; i++) {
                                mixh[i] = (1 - wt) * h[i] + wt * hnc[i];
                            }
                            estimates.add(mixh);
                        }
                        names[e++] = "to hnc, w";
                        names[e++] = "to hnc, 0.5";
                        names[e++] = "to hnc, 0.25";
                    }
                    estimates.add(href);
                    names[e] = "reference";
                    for (int i = 0; i < estimates.size(); i++) {
                        for (int j = 0; j < RADII.length; j++) {
                            double[] model = estimates.get(i);
                            double[] d = levenbergMarquardt(model, g, free, RADII[j]);
                            double achieved = decrease(d, g, href, free);
                            double predicted = decrease(d, g, model, free);
                            sums[i][j][0] += achieved / ideal;
                            sums[i][j][1] += achieved / predicted;
                        }
                    }
                    samples++;
                }
            }
            System.out.printf(Locale.ROOT, "%nchunks of %d frames (%d of them; %.0f effective frames each): achieved / Newton decrease, rho, at radii %s nats%n",
                    c, samples, neffSum / samples, Arrays.toString(RADII));
            for (int i = 0; i < names.length && names[i] != null; i++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-16s", names[i]));
                for (int j = 0; j < RADII.length; j++) {
                    line.append(String.format(Locale.ROOT, " | %6.3f rho %5.2f", sums[i][j][0] / samples, sums[i][j][1] / samples));
                }
                System.out.println(line);
            }
        }
    }

    /** Features summed into the free coefficients (ties add; fixed coefficients dropped). */
    static double[] reduce(double[] x, int[] tie, int free) {
        double[] y = new double[free];
        for (int i = 0; i < tie.length; i++) {
            if (tie[i] >= 0) {
                y[tie[i]] += x[i];
            }
        }
        return y;
    }

    /** beta (target - mean) */
    static double[] gradient(double[] target, double[] mean, double beta) {
        double[] g = new double[target.length];
        for (int k = 0; k < g.length; k++) {
            g[k] = beta * (target[k] - mean[k]);
        }
        return g;
    }

    static double[] mean(double[][] x, int from, int to) {
        double[] m = new double[x[from].length];
        for (int t = from; t < to; t++) {
            for (int k = 0; k < m.length; k++) {
                m[k] += x[t][k] / (to - from);
            }
        }
        return m;
    }

    static double[] covariance(double[][] x, int from, int to, double beta) {
        int n = x[from].length;
        double[] m = mean(x, from, to);
        double[] h = new double[n * n];
        for (int t = from; t < to; t++) {
            for (int i = 0; i < n; i++) {
                double a = x[t][i] - m[i];
                for (int j = 0; j < n; j++) {
                    h[i * n + j] += a * (x[t][j] - m[j]);
                }
            }
        }
        for (int i = 0; i < h.length; i++) {
            h[i] *= beta * beta / (to - from - 1);
        }
        return h;
    }

    /** 1 / median over coefficients of var(mean from block means) / var(frame): the loop's own estimate. */
    static double effectiveFrames(double[][] x, int from, int to, double[] h, double beta, int n) {
        int per = (to - from) / BLOCKS;
        double[][] blocks = new double[BLOCKS][];
        for (int b = 0; b < BLOCKS; b++) {
            blocks[b] = mean(x, from + b * per, from + (b + 1) * per);
        }
        double[] ratio = new double[n];
        int used = 0;
        for (int k = 0; k < n; k++) {
            double s = 0;
            double s2 = 0;
            for (double[] b : blocks) {
                s += b[k];
                s2 += b[k] * b[k];
            }
            double var = (s2 - s * s / BLOCKS) / (BLOCKS - 1) / BLOCKS;
            if (h[k * n + k] > 0 && var > 0) {
                ratio[used++] = beta * beta * var / h[k * n + k];
            }
        }
        Arrays.sort(ratio, 0, used);
        return 1 / (used % 2 == 1 ? ratio[used / 2] : 0.5 * (ratio[used / 2 - 1] + ratio[used / 2]));
    }

    /** (1 - w) H + w diag(H): the fit's shrinkage. */
    static double[] shrink(double[] h, int n, double w) {
        double[] s = h.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    s[i * n + j] *= 1 - w;
                }
            }
        }
        return s;
    }

    /** g.d + d.H.d / 2 */
    static double decrease(double[] d, double[] g, double[] h, int n) {
        double gd = 0;
        for (int i = 0; i < n; i++) {
            gd += g[i] * d[i];
        }
        return gd + 0.5 * QuadraticForm.of(h, d);
    }

    static double[] solveNewton(double[] h, double[] g, int n) {
        return levenbergMarquardt(h, g, n, Double.POSITIVE_INFINITY);
    }

    /** d = -(H + mu I)^-1 g with the smallest mu >= 0 (and above -min eigenvalue) for which d.H.d / 2 <= radius. */
    static double[] levenbergMarquardt(double[] h, double[] g, int n, double radius) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(new DMatrixRMaj(n, n, true, h))) {
            throw new IllegalStateException("eigendecomposition failed");
        }
        double[] w = new double[n];
        double[][] v = new double[n][];
        double[] gt = new double[n];
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            w[i] = eig.getEigenvalue(i).getReal();
            v[i] = eig.getEigenVector(i).getData();
            for (int k = 0; k < n; k++) {
                gt[i] += v[i][k] * g[k];
            }
            lowest = Math.min(lowest, w[i]);
        }
        double lo = Math.max(0, -lowest);
        if (lo == 0 && kl(w, gt, 0) <= radius) {
            return step(w, v, gt, 0, n);
        }
        lo += 1e-12;
        double hi = Math.max(1, 2 * lo);
        while (kl(w, gt, hi) > radius) {
            hi *= 4;
        }
        for (int it = 0; it < 100; it++) {
            double mid = Math.sqrt(lo * hi);
            if (kl(w, gt, mid) > radius) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return step(w, v, gt, hi, n);
    }

    private static double kl(double[] w, double[] gt, double mu) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            double c = gt[i] / (w[i] + mu);
            s += 0.5 * w[i] * c * c;
        }
        return s;
    }

    private static double[] step(double[] w, double[][] v, double[] gt, double mu, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double c = -gt[i] / (w[i] + mu);
            for (int k = 0; k < n; k++) {
                d[k] += c * v[i][k];
            }
        }
        return d;
    }
}
