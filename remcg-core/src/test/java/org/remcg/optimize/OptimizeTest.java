package org.remcg.optimize;

import org.junit.jupiter.api.Test;
import org.remcg.density.Domain;
import org.remcg.density.ExpFamilyDensity;
import org.remcg.model.Bases;
import org.remcg.model.Features;
import org.remcg.model.Roughness;
import org.remcg.observe.FeatureBlocks;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizeTest {

    /** A quadratic 1/2 x^T A x - b^T x with a given (possibly singular) A. */
    static Objective quadratic(double[] a, double[] b) {
        int n = b.length;
        return new Objective() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public Evaluation evaluate(double[] x) {
                double v = 0;
                double[] g = new double[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        g[i] += a[i * n + j] * x[j];
                    }
                    v += 0.5 * x[i] * g[i] - b[i] * x[i];
                    g[i] -= b[i];
                }
                return new Evaluation(v, g, a.clone(), null);
            }
        };
    }

    @Test
    void newtonSolvesAQuadraticInOneStepAndIgnoresAGaugeDirection() {
        // A has the null vector (1, 1, 1) and b is orthogonal to it: a gauge direction
        double[] a = {2, -1, -1, -1, 2, -1, -1, -1, 2};
        double[] b = {1, -2, 1};
        NewtonOptimizer.Result r = new NewtonOptimizer().minimize(quadratic(a, b), new double[3]);
        assertEquals(NewtonOptimizer.Stop.GRADIENT, r.stop());
        assertEquals(1, r.iterations());
        // minimum-norm solution: orthogonal to (1,1,1)
        assertEquals(0, r.theta()[0] + r.theta()[1] + r.theta()[2], 1e-12);
        assertEquals(1.0 / 3, r.theta()[0], 1e-12);
        assertEquals(-2.0 / 3, r.theta()[1], 1e-12);
    }

    @Test
    void newtonDescendsOnANonConvexFunction() {
        // f = x^4/4 - x^2/2 + y^2: the Hessian is negative along x near 0; minima at x = +-1, y = 0
        Objective f = new Objective() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public Evaluation evaluate(double[] t) {
                double x = t[0];
                double y = t[1];
                return new Evaluation(x * x * x * x / 4 - x * x / 2 + y * y, new double[] {x * x * x - x, 2 * y},
                        new double[] {3 * x * x - 1, 0, 0, 2}, null);
            }
        };
        NewtonOptimizer.Result r = new NewtonOptimizer().minimize(f, new double[] {0.1, 1});
        assertTrue(r.converged());
        assertEquals(1, r.theta()[0], 1e-10);
        assertEquals(0, r.theta()[1], 1e-10);
    }

    @Test
    void remObjectiveDerivativesMatchFiniteDifferences() {
        Domain d = Domain.interval(-1, 2);
        Features f = Features.of(Bases.parse("bspline:9", -1, 2));
        ExpFamilyDensity model = new ExpFamilyDensity(d, f);
        double[] target = new double[9];
        for (int i = 0; i < 9; i++) {
            target[i] = (1 + 0.3 * Math.sin(i)) / 9;
        }
        Regularizer reg = new Regularizer(0.01, 0.05, Roughness.matrix(f));
        LinearRemObjective obj = new LinearRemObjective(1.0, target, model, reg);
        double[] theta = new double[9];
        for (int i = 0; i < 9; i++) {
            theta[i] = Math.cos(1.7 * i);
        }
        Objective.Evaluation e = obj.evaluate(theta);
        // central differences: truncation O(h^2 f''') ~ 1e-8, rounding ~ 1e-16 / h ~ 1e-11
        double h = 1e-4;
        for (int i = 0; i < 9; i++) {
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[i] += h;
            m[i] -= h;
            Objective.Evaluation ep = obj.evaluate(p);
            Objective.Evaluation em = obj.evaluate(m);
            assertEquals((ep.value() - em.value()) / (2 * h), e.gradient()[i], 1e-7, "gradient " + i);
            for (int j = 0; j < 9; j++) {
                assertEquals((ep.gradient()[j] - em.gradient()[j]) / (2 * h), e.hessian()[i * 9 + j], 1e-7, "Hessian " + i + "," + j);
            }
        }
        // tied objective: chain rule
        int[] tie = {0, 0, 1, 2, 3, 4, 5, 6, 6};
        double[] off = {0.5, 0, 0, 0, 0, 0, 0, 0, 1.0};
        TiedObjective t = new TiedObjective(obj, tie, off);
        double[] x = {0.1, -0.2, 0.3, 0.0, 0.4, -0.1, 0.2};
        Objective.Evaluation et = t.evaluate(x);
        for (int k = 0; k < 7; k++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[k] += h;
            m[k] -= h;
            assertEquals((t.evaluate(p).value() - t.evaluate(m).value()) / (2 * h), et.gradient()[k], 1e-7, "tied gradient " + k);
        }
    }

    @Test
    void featureBlocksKeepConstantMemoryAndEstimateCorrelatedErrors() {
        int n = 200_000;
        double phi = 0.9;
        FeatureBlocks b = new FeatureBlocks(1);
        SplittableRandom rng = new SplittableRandom(17);
        int[] idx = {0};
        double[] val = new double[1];
        double x = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            x = phi * x + Math.sqrt(1 - phi * phi) * rng.nextGaussian();
            val[0] = x;
            sum += x;
            b.add(1, idx, val);
        }
        assertEquals(n, b.count());
        assertTrue(b.blocks() >= FeatureBlocks.DEFAULT_MIN_BLOCKS && b.blocks() <= 2 * FeatureBlocks.DEFAULT_MIN_BLOCKS, "blocks " + b.blocks());
        assertEquals(sum / n, b.mean()[0], 1e-12);
        // AR(1) with unit variance: SE of the mean = sqrt((1 + phi) / (1 - phi) / n); blocks of ~130
        // samples >> correlation time 10 leave a bias of ~ 2 tau / b ~ 15 %, the estimate's own
        // scatter is ~ 1/sqrt(2 B) ~ 2 %
        double exact = Math.sqrt((1 + phi) / (1 - phi) / n);
        assertEquals(exact, b.standardErrors()[0], 0.2 * exact);
        int[] folds = b.foldBoundaries(5);
        long total = 0;
        for (int k = 0; k < 5; k++) {
            long c = b.count(folds[k], folds[k + 1], false);
            assertEquals(n / 5.0, c, n / 5.0 * 0.01, "fold " + k);
            total += c;
            assertEquals(n - c, b.count(folds[k], folds[k + 1], true));
        }
        assertEquals(n, total);
    }

    @Test
    void appendingChunksKeepsSumsCountsAndBlockBounds() {
        SplittableRandom rng = new SplittableRandom(3);
        int[] idx = {0, 1};
        double[] val = new double[2];
        FeatureBlocks whole = new FeatureBlocks(2, 16);
        FeatureBlocks merged = new FeatureBlocks(2, 16);
        double[] sum = new double[2];
        for (int chunk = 0; chunk < 7; chunk++) {
            FeatureBlocks part = new FeatureBlocks(2, 16);
            int n = 50 + rng.nextInt(400);
            for (int i = 0; i < n; i++) {
                val[0] = rng.nextDouble();
                val[1] = rng.nextGaussian();
                sum[0] += val[0];
                sum[1] += val[1];
                part.add(2, idx, val);
                whole.add(2, idx, val);
            }
            merged.append(part);
            assertTrue(merged.blocks() <= 32, "blocks " + merged.blocks());
        }
        assertEquals(whole.count(), merged.count());
        long c = 0;
        for (int b = 0; b < merged.blocks(); b++) {
            c += merged.blockCount(b);
        }
        assertEquals(merged.count(), c);
        assertEquals(sum[0] / whole.count(), merged.mean()[0], 1e-12);
        assertEquals(whole.mean()[1], merged.mean()[1], 1e-12);
        // the block standard errors of the two layouts agree within their own scatter (~ 1/sqrt(2 B))
        assertEquals(whole.standardErrors()[1], merged.standardErrors()[1], 0.4 * whole.standardErrors()[1]);
        // appending more samples afterwards still works
        merged.add(2, idx, val);
        assertEquals(whole.count() + 1, merged.count());
    }
}
