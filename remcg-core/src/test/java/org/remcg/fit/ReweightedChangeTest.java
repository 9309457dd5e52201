package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.LinearRemObjective;
import org.remcg.optimize.ReweightedEnsemble;
import org.remcg.optimize.Samples;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;
import org.remcg.system.InteractionKind;

/**
 * The REM loop's reweighted estimate of the change of S for a step agrees with the estimate from a
 * fresh simulation at the new parameters. 216 water-like beads: the target is measured on a run of
 * a known pair potential (theta*), the model starts from Boltzmann inversion of that run's g(r)
 * (theta0, the fit's start), and the step goes from theta0 towards theta* as far as the loop would
 * trust reweighting (ESS of the theta0 frames at the new point 0.5, the default ess_min).
 *
 * <p>For U = theta . phi, S(theta1) - S(theta0) = beta dtheta . &lt;phi&gt;_target + ln Z1/Z0.
 * Predicted (frames of theta0, through {@link ReweightedEnsemble} and {@link LinearRemObjective} as
 * the loop does): ln Z1/Z0 = ln &lt;exp(-beta dtheta . phi)&gt;_0. Fresh (frames of a new engine run
 * at theta1, computed here by hand): ln Z1/Z0 = -ln &lt;exp(+beta dtheta . phi)&gt;_1. Both exponential
 * averages get standard errors from 20 block averages of their weights.
 */
class ReweightedChangeTest {
    static final double T = 300;
    static final double KT = Units.KB * T;
    static final double BETA = 1 / KT;
    static final int PER_EDGE = 6;          // 216 beads
    static final double L = 3.0;            // nm: 8 beads / nm^3
    static final double RC = 0.9;
    static final int BLOCKS = 20;

    static double[] lattice() {
        return SelfConsistencyTest.lattice(PER_EDGE, L);
    }

    /**
     * ln &lt;exp(a . phi_t)&gt; over the frames with its standard error from block means of the weights
     * (delta method: se(ln w) = se(mean w) / mean w).
     */
    static double[] logMeanExp(Samples s, double[] a) {
        int n = s.frames();
        int m = s.features();
        double[] x = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            double v = 0;
            for (int k = 0; k < m; k++) {
                v += a[k] * s.phi(t, k);
            }
            x[t] = v;
            max = Math.max(max, v);
        }
        int len = n / BLOCKS;
        double[] bm = new double[BLOCKS];
        double mean = 0;
        for (int b = 0; b < BLOCKS; b++) {
            for (int t = b * len; t < (b + 1) * len; t++) {
                bm[b] += Math.exp(x[t] - max);
            }
            bm[b] /= len;
            mean += bm[b] / BLOCKS;
        }
        double var = 0;
        for (double v : bm) {
            var += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(var / (BLOCKS - 1) / BLOCKS);
        return new double[] {max + Math.log(mean), se / mean};
    }

    static Samples run(List<FitTerm> terms, CgTopology top, Box box, double[] x0, double[] theta, long seed, ReferenceStatistics.Measurement sink) {
        ForceField ff = RemFit.forceField(terms, T, 3, theta);
        try (Engine e = new Engine(ff, top, box, x0, Engine.Options.defaults().withThreads(1))) {
            EngineSampler s = new EngineSampler(e, new EngineSampler.Settings(0.004, 5.0, 40_000, 2_500, 20, seed));
            if (sink != null) {
                s.setSink(f -> sink.accumulator().accept(f));
            }
            return s.sample(theta, 0);
        } catch (IterativeRem.SamplingException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void reweightedChangeOfSAgreesWithAFreshSimulation() {
        CubicBSpline basis = new CubicBSpline(30, 0.0, RC);
        FitTerm term = new FitTerm(InteractionKind.PAIR, List.of("W", "W"), RC, basis, null);
        List<FitTerm> terms = List.of(term);
        CgTopology top = SelfConsistencyTest.beads(PER_EDGE * PER_EDGE * PER_EDGE);
        Box box = Box.orthorhombic(L, L, L);
        // theta*: the known potential on the basis
        int np = 901;
        double[] r = new double[np];
        double[] g = new double[np];
        for (int i = 0; i < np; i++) {
            r[i] = RC * i / (np - 1);
            g[i] = r[i] == 0 ? 0 : Math.exp(-SelfConsistencyTest.trueU(r[i]) / KT);
        }
        double[] thetaStar = BoltzmannInversion.invert(basis, new TargetDistribution(r, g), KT, BoltzmannInversion.Jacobian.NONE, true, 1e-12,
                3 * KT).theta();
        // target: <phi> and g(r) of a run at theta*
        ReferenceStatistics.Measurement ref = new ReferenceStatistics.Measurement(terms, top, 3);
        long t0 = System.nanoTime();
        Samples star = run(terms, top, box, lattice(), thetaStar, 5, ref);
        ReferenceStatistics target = ref.result();
        // theta0: the fit's start (Boltzmann inversion of the measured g(r)); every run starts from the lattice
        double[] theta0 = RemFit.start(terms, target.distributions(), T).theta();
        Samples s0 = run(terms, top, box, lattice(), theta0, 6, null);
        // the step: towards theta* on the coefficients the target data inform (the walls below the data, where
        // theta* and theta0 differ by hundreds of kT without consequence, stay), as far as the theta0 frames keep an ESS of 0.5
        double maxMean = 0;
        for (double v : target.mean()) {
            maxMean = Math.max(maxMean, v);
        }
        double[] towards = theta0.clone();
        for (int k = 0; k < towards.length; k++) {
            if (target.mean()[k] > 0.01 * maxMean) {
                towards[k] = thetaStar[k];
            }
        }
        ReweightedEnsemble rw0 = new ReweightedEnsemble(s0, BETA, 0.0);
        double lo = 0;
        double hi = 1;
        for (int it = 0; it < 50; it++) {
            double mid = 0.5 * (lo + hi);
            if (rw0.essFraction(along(theta0, towards, mid)) > 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double[] theta1 = along(theta0, towards, lo);
        double[] d = new double[theta0.length];
        double maxStep = 0;
        for (int k = 0; k < d.length; k++) {
            d[k] = theta1[k] - theta0[k];
            maxStep = Math.max(maxStep, Math.abs(d[k]) / KT);
        }
        // predicted by reweighting, as the loop computes it
        LinearRemObjective obj = new LinearRemObjective(BETA, target.mean(), rw0, null);
        double predicted = obj.evaluate(theta1).value() - obj.evaluate(theta0).value();
        double targetTerm = 0;
        double[] minus = new double[d.length];
        double[] plus = new double[d.length];
        for (int k = 0; k < d.length; k++) {
            targetTerm += BETA * d[k] * target.mean()[k];
            minus[k] = -BETA * d[k];
            plus[k] = BETA * d[k];
        }
        double[] fwd = logMeanExp(s0, minus);
        assertEquals(targetTerm + fwd[0], predicted, 1e-9 * (1 + Math.abs(predicted)), "the objective's dS is the exponential average");
        // fresh simulation at theta1
        Samples s1 = run(terms, top, box, lattice(), theta1, 7, null);
        double[] bwd = logMeanExp(s1, plus);
        double fresh = targetTerm - bwd[0];
        double se = Math.hypot(fwd[1], bwd[1]);
        // first-order prediction (no reweighting): the gradient alone; trapezoid thermodynamic integration of both runs
        double linear = 0;
        double ti = targetTerm;
        double[] mean0 = s0.mean();
        double[] mean1 = s1.mean();
        for (int k = 0; k < d.length; k++) {
            linear += BETA * d[k] * (target.mean()[k] - mean0[k]);
            ti -= 0.5 * BETA * d[k] * (mean0[k] + mean1[k]);
        }
        System.out.printf(Locale.ROOT, "step %.3f of the way to theta* (largest coefficient change %.2f kT): dS reweighted %.4f +- %.4f, "
                + "fresh run %.4f +- %.4f, first order %.4f, trapezoid TI %.4f; ESS at theta1 %.2f (%.1f s)%n", lo, maxStep, predicted, fwd[1], fresh,
                bwd[1], linear, ti,
                rw0.essFraction(theta1), (System.nanoTime() - t0) * 1e-9);
        // the test is meaningful only when dS is resolved well beyond its error (measured: 9.8 and 7.8 combined SE with two engine versions whose trajectories differ by rounding)
        assertTrue(predicted < -5 * se, "the step towards the optimum must lower S clearly: " + predicted + " +- " + se);
        // 3 combined standard errors: the block errors come from 20 blocks each (t with ~19 degrees of freedom)
        assertEquals(fresh, predicted, 3 * se, "reweighted and fresh estimates of dS");
        assertTrue(Math.abs(linear - predicted) > 3 * se, "the test must resolve more than the first-order change");
        assertTrue(star.frames() == 2000 && s1.frames() == 2000);
    }

    static double[] along(double[] a, double[] b, double s) {
        double[] x = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            x[k] = a[k] + s * (b[k] - a[k]);
        }
        return x;
    }
}
