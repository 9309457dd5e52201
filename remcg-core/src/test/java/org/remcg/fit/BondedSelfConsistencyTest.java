package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Regularizer;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;
import org.remcg.system.InteractionKind;
import org.remcg.system.TestChains;
import org.remcg.testing.Vectors;

/**
 * Self-consistency of the molecular REM fit with bonded terms and two bead types: 100 A-B-A
 * trimers simulated by our own engine with a known harmonic bond, a known harmonic angle and
 * known soft pair potentials (A-A, A-B, B-B) give the targets; a fit of the bond and the angle
 * (the pair potentials held at their known values through fixed ties), started away from the
 * truth, must converge and recover the bond and angle potentials within 0.1 kT wherever
 * their distributions exceed 0.2 of their peak (up to the constant a bonded potential is free to
 * carry). Cubic B-splines hold quadratics exactly (any knot spacing), so the truth lies in the model space;
 * few knots keep the statistical error of the fitted shape well inside the tolerance.
 */
class BondedSelfConsistencyTest {
    static final double T = 300;
    static final double KT = Units.KB * T;
    static final int NX = 4;
    static final int NY = 4;
    static final int NZ = 4;                  // 64 trimers
    static final double L = 3.0;              // nm: 192 beads, 7.1 per nm^3
    static final double RC = 0.6;
    static final long REF_STEPS = 8_000;
    static final long FIT_STEPS = 4_000;
    static final double R0 = 0.3;             // nm
    static final double KB = 5000;            // kJ/mol/nm^2: sigma_r = 0.022 nm
    static final double THETA0 = 2.0;         // rad
    static final double KA = 30;              // kJ/mol/rad^2: sigma_theta = 0.29 rad

    /** n trimers A-B-A (bead masses 30, 28, 30 amu). */
    static CgTopology trimers(int n) {
        return TestChains.chains(n, 0, new String[] {"A1", "B", "A2"}, new String[] {"A", "B", "A"}, new double[] {30, 28, 30});
    }

    /** nx * ny * nz bent trimers (bond R0, angle THETA0) on a grid in a cubic box of edge l. */
    static double[] grid(int nx, int ny, int nz, double l) {
        double[] x = new double[9 * nx * ny * nz];
        int k = 0;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                for (int m = 0; m < nz; m++) {
                    double bx = (i + 0.3) * l / nx;
                    double by = (j + 0.3) * l / ny;
                    double bz = (m + 0.5) * l / nz;
                    double[] p = {bx + R0, by, bz, bx, by, bz, bx + R0 * Math.cos(THETA0), by + R0 * Math.sin(THETA0), bz};
                    System.arraycopy(p, 0, x, k, 9);
                    k += 9;
                }
            }
        }
        return x;
    }

    /** Soft pair potential (kJ/mol) of well depth eps, smooth to zero at the cutoff. */
    static double pairU(double r, double eps) {
        double s = 0.35 / r;
        double s6 = s * s * s * s * s * s;
        double taper = r < 0.45 ? 1 : Math.pow(Math.cos(0.5 * Math.PI * (r - 0.45) / (RC - 0.45)), 2);
        return 4 * eps * (s6 * s6 - s6) * taper;
    }

    /** Coefficients of u on the basis, by the inversion machinery fed with exp(-u/kT) times the Jacobian. */
    static double[] project(CubicBSpline basis, java.util.function.DoubleUnaryOperator u, BoltzmannInversion.Jacobian jac, boolean pair) {
        int np = 2001;
        double[] x = new double[np];
        double[] p = new double[np];
        for (int i = 0; i < np; i++) {
            x[i] = basis.lower() + (basis.upper() - basis.lower()) * i / (np - 1);
            double j = switch (jac) {
                case NONE -> 1;
                case R2 -> x[i] * x[i];
                case SINE -> Math.sin(x[i]);
            };
            p[i] = x[i] == 0 && pair ? 0 : j * Math.exp(-u.applyAsDouble(x[i]) / KT);
        }
        return BoltzmannInversion.invert(basis, new TargetDistribution(x, p), KT, jac, pair, 1e-14, 3 * KT).theta();
    }

    @Test
    void recoversKnownBondAndAnglePotentials() {
        List<FitTerm> terms = new ArrayList<>();
        double[][] eps = {{1.0, 0.8}, {0.8, 0.6}};
        String[] types = {"A", "B"};
        List<double[]> truthBlocks = new ArrayList<>();
        for (int a = 0; a < 2; a++) {
            for (int b = a; b < 2; b++) {
                CubicBSpline basis = new CubicBSpline(20, 0.0, RC);
                double e = eps[a][b];
                terms.add(new FitTerm(InteractionKind.PAIR, List.of(types[a], types[b]), RC, basis, null));
                truthBlocks.add(project(basis, r -> pairU(r, e), BoltzmannInversion.Jacobian.NONE, true));
            }
        }
        CubicBSpline bondBasis = new CubicBSpline(10, 0.2, 0.4);
        terms.add(new FitTerm(InteractionKind.BOND, List.of("A", "B"), Double.NaN, bondBasis, null));
        truthBlocks.add(project(bondBasis, r -> 0.5 * KB * (r - R0) * (r - R0), BoltzmannInversion.Jacobian.R2, false));
        CubicBSpline angleBasis = new CubicBSpline(12, 0.0, Math.PI);
        terms.add(new FitTerm(InteractionKind.ANGLE, List.of("A", "B", "A"), Double.NaN, angleBasis, null));
        truthBlocks.add(project(angleBasis, t -> 0.5 * KA * (t - THETA0) * (t - THETA0), BoltzmannInversion.Jacobian.SINE, false));
        double[] truth = Vectors.concat(truthBlocks.toArray(new double[0][]));
        int m = truth.length;
        // the projection must be the harmonic itself (cubic splines hold quadratics)
        double[] val = new double[4];
        for (double r = 0.22; r < 0.38; r += 0.01) {
            double u = bondBasis.combine(java.util.Arrays.copyOfRange(truth, 60, 70), r, val);
            double u0 = bondBasis.combine(java.util.Arrays.copyOfRange(truth, 60, 70), R0, val);
            assertTrue(Math.abs(u - u0 - 0.5 * KB * (r - R0) * (r - R0)) < 0.01 * KT, "bond projection at " + r);
        }

        CgTopology top = trimers(NX * NY * NZ);
        Box box = Box.orthorhombic(L, L, L);
        ForceField ffTrue = RemFit.forceField(terms, T, 3, truth);
        ReferenceStatistics.Measurement ref = new ReferenceStatistics.Measurement(terms, top, 3);
        Engine e0 = new Engine(ffTrue, top, box, grid(NX, NY, NZ, L), Engine.Options.defaults().withThreads(2));
        EngineSampler s0 = new EngineSampler(e0, new EngineSampler.Settings(0.005, 5.0, REF_STEPS, 1_000, 10, 7));
        s0.setSink(f -> ref.accumulator().accept(f));
        long t0 = System.nanoTime();
        try {
            s0.sample(truth, 0);
        } catch (IterativeRem.SamplingException ex) {
            throw new AssertionError(ex);
        }
        System.out.printf("reference run: %.1f s%n", (System.nanoTime() - t0) * 1e-9);
        ReferenceStatistics target = ref.result();

        // start: the known pair potentials held fixed (tie -1 at the truth); bond and angle from
        // Boltzmann inversion, tilted by 2 kT across their data so the fit has work to do
        RemFit.Start bi = RemFit.start(terms, target.distributions(), T);
        int pairFree = 0;
        for (int q = 0; q < 3; q++) {
            pairFree += bi.perTerm().get(q).free();
        }
        int[] tie = bi.tie().clone();
        double[] offset = bi.offset().clone();
        double[] theta0 = bi.theta().clone();
        for (int k = 0; k < 60; k++) {
            tie[k] = -1;
            offset[k] = truth[k];
            theta0[k] = truth[k];
        }
        for (int k = 60; k < m; k++) {
            if (tie[k] >= 0) {
                tie[k] -= pairFree;
            }
        }
        int nFree = bi.free() - pairFree;
        double[] free = new double[nFree];
        for (int k = 60; k < m; k++) {
            if (tie[k] >= 0) {
                free[tie[k]] = theta0[k] - offset[k];
            }
        }
        for (int q = 3; q < 5; q++) {
            BoltzmannInversion.Start s = bi.perTerm().get(q);
            int first = target.offsets()[q] + s.firstInformed();
            int last = target.offsets()[q] + s.lastInformed();
            for (int k = first; k <= last; k++) {
                if (tie[k] >= 0) {   // not the coefficient that fixes the constant
                    free[tie[k]] += 2 * KT * ((k - first) / (double) (last - first) - 0.5);
                }
            }
        }
        for (int k = 60; k < m; k++) {
            if (tie[k] >= 0) {
                theta0[k] = free[tie[k]] + offset[k];
            }
        }
        RemFit.Start start = new RemFit.Start(theta0, tie, offset, nFree, bi.perTerm(), bi.layout());

        ForceField ff = RemFit.forceField(terms, T, 3, start.theta());
        Engine engine = new Engine(ff, top, box, s0.positions(), Engine.Options.defaults().withThreads(2));
        EngineSampler sampler = new EngineSampler(engine, new EngineSampler.Settings(0.005, 5.0, FIT_STEPS, 200, 10, 11));
        double[] var = new double[m];
        for (int k = 0; k < m; k++) {
            var[k] = target.standardError()[k] * target.standardError()[k];
        }
        IterativeRem.Options opt = IterativeRem.Options.defaults(1 / KT).withMaxSimulations(12);
        t0 = System.nanoTime();
        IterativeRem.State s = RemFit.run(opt, target.mean(), var, start, Regularizer.none(), sampler, null,
                (state, samples) -> System.out.println(IterativeRem.describe(state.history().get(state.history().size() - 1))));
        System.out.printf("fit: %.1f s, %d simulations, stop %s%n", (System.nanoTime() - t0) * 1e-9, s.simulations(), s.stop());
        double bondErr = bondedError(bondBasis, target.distributions().get(3), slice(s.theta(), 60, 10), slice(truth, 60, 10));
        double angleErr = bondedError(angleBasis, target.distributions().get(4), slice(s.theta(), 70, 12), slice(truth, 70, 12));
        double bondStart = bondedError(bondBasis, target.distributions().get(3), slice(theta0, 60, 10), slice(truth, 60, 10));
        double angleStart = bondedError(angleBasis, target.distributions().get(4), slice(theta0, 70, 12), slice(truth, 70, 12));
        System.out.printf("largest |U_fit - U_true - c| where p > 0.2 peak: bond %.3f kT (start %.3f), angle %.3f kT (start %.3f)%n", bondErr / KT,
                bondStart / KT, angleErr / KT, angleStart / KT);
        assertTrue(s.stop() == IterativeRem.Stop.CONVERGED, "the fit must converge, stopped " + s.stop());
        assertTrue(bondErr < 0.1 * KT, "bond: largest deviation " + bondErr / KT + " kT");
        assertTrue(angleErr < 0.1 * KT, "angle: largest deviation " + angleErr / KT + " kT");
        // the tilted start must be off by at least three times the tolerance for the test to mean something
        assertTrue(bondStart > 0.3 * KT && angleStart > 0.3 * KT, "start too close to the truth: " + bondStart / KT + ", " + angleStart / KT + " kT");
    }

    static double[] slice(double[] v, int from, int n) {
        return java.util.Arrays.copyOfRange(v, from, from + n);
    }

    /**
     * Largest |U_fit - U_true - c| over the points where the reference distribution exceeds 0.2 of
     * its peak, c the mean difference over those points (a bonded potential's constant is free).
     */
    static double bondedError(CubicBSpline basis, TargetDistribution p, double[] fit, double[] truth) {
        double peak = 0;
        for (double v : p.value()) {
            peak = Math.max(peak, v);
        }
        double[] val = new double[4];
        List<double[]> d = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i <= 2000; i++) {
            double x = basis.lower() + (basis.upper() - basis.lower()) * i / 2000;
            if (p.at(x) > 0.2 * peak) {
                double diff = basis.combine(fit, x, val) - basis.combine(truth, x, val);
                d.add(new double[] {x, diff});
                sum += diff;
            }
        }
        assertTrue(d.size() > 50, "too few points above 0.2 of the peak");
        double c = sum / d.size();
        double worst = 0;
        for (double[] e : d) {
            worst = Math.max(worst, Math.abs(e[1] - c));
        }
        return worst;
    }
}
