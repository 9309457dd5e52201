package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.mapping.Mapper;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.observe.FeatureTerm;
import org.remcg.observe.FrameDriver;
import org.remcg.observe.FrameFeatures;
import org.remcg.observe.MemoryTrajectory;
import org.remcg.simulate.Engine;
import org.remcg.simulate.Integrator;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * Force matching: the per-frame force derivatives against finite differences of the REM
 * features (every kind of term), exact recovery of a force field that lies in the basis from
 * frames and forces of our own engine, thread-count independence, and a frame without forces.
 */
class ForceMatchingTest {
    static final double T = 300;

    /** n molecules A-B-B-A in a cubic box, random chain geometry, labelled bonds, angles and dihedrals. */
    static CgTopology tetramers(int n) {
        CgTopology.Builder b = new CgTopology.Builder();
        String[] types = {"A", "B", "B", "A"};
        for (int i = 0; i < n; i++) {
            b.molecule();
            int first = -1;
            for (int k = 0; k < 4; k++) {
                int p = b.particle(types[k] + k, types[k], 20.0);
                first = k == 0 ? p : first;
            }
            b.bond(first, first + 1, Mapper.label("A", "B"));
            b.bond(first + 1, first + 2, Mapper.label("B", "B"));
            b.bond(first + 2, first + 3, Mapper.label("B", "A"));
            b.angle(first, first + 1, first + 2, Mapper.label("A", "B", "B"));
            b.angle(first + 1, first + 2, first + 3, Mapper.label("B", "B", "A"));
            b.dihedral(first, first + 1, first + 2, first + 3, Mapper.label("A", "B", "B", "A"));
        }
        return b.build();
    }

    static double[] chains(int n, double l, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[12 * n];
        for (int i = 0; i < n; i++) {
            double px = r.nextDouble() * l;
            double py = r.nextDouble() * l;
            double pz = r.nextDouble() * l;
            for (int k = 0; k < 4; k++) {
                x[12 * i + 3 * k] = px;
                x[12 * i + 3 * k + 1] = py;
                x[12 * i + 3 * k + 2] = pz;
                double dx = r.nextGaussian();
                double dy = r.nextGaussian();
                double dz = r.nextGaussian();
                double s = 0.3 / Math.sqrt(dx * dx + dy * dy + dz * dz);
                px += s * dx;
                py += s * dy;
                pz += s * dz;
            }
        }
        return x;
    }

    static List<FitTerm> allTerms(double rc) {
        return List.of(
                new FitTerm(InteractionKind.PAIR, List.of("A", "A"), rc, new CubicBSpline(14, 0, rc), null),
                new FitTerm(InteractionKind.PAIR, List.of("A", "B"), rc, new CubicBSpline(12, 0, rc), null),
                new FitTerm(InteractionKind.PAIR, List.of("B", "B"), rc, new CubicBSpline(10, 0, rc), null),
                new FitTerm(InteractionKind.BOND, List.of("A", "B"), 0, new CubicBSpline(12, 0.1, 0.6), null),
                new FitTerm(InteractionKind.BOND, List.of("B", "B"), 0, new CubicBSpline(10, 0.1, 0.6), null),
                new FitTerm(InteractionKind.ANGLE, List.of("A", "B", "B"), 0, new CubicBSpline(12, 0, Math.PI), null),
                new FitTerm(InteractionKind.DIHEDRAL, List.of("A", "B", "B", "A"), 0, new CubicBSpline(12, -Math.PI, Math.PI), null));
    }

    @Test
    void derivativesAreMinusTheGradientOfTheFeatures() {
        int n = 8;
        double l = 2.2;
        double rc = 1.0;
        CgTopology top = tetramers(n);
        List<FitTerm> terms = allTerms(rc);
        ForceMatching.Accumulator acc = new ForceMatching.Accumulator(terms, top, 3);
        List<FeatureTerm> ft = new ArrayList<>();
        for (FitTerm t : terms) {
            ft.add(t.featureTerm());
        }
        FrameFeatures features = new FrameFeatures(top, 3, ft, false, 0);
        Frame f = new Frame();
        f.resize(4 * n, false, false);
        f.x = chains(n, l, 5);
        f.box = Box.orthorhombic(l, l, l);
        int m = acc.parameters();
        int rows = 3 * top.size();
        double[] g = new double[rows * m];
        acc.derivatives(f, g, false);
        double[] plus = new double[m];
        double[] minus = new double[m];
        double h = 1e-6;
        double worst = 0;
        double scale = 0;
        double[] kinds = new double[terms.size()];
        for (int r = 0; r < rows; r++) {
            double keep = f.x[r];
            f.x[r] = keep + h;
            features.compute(f, plus);
            f.x[r] = keep - h;
            features.compute(f, minus);
            f.x[r] = keep;
            for (int k = 0; k < m; k++) {
                double fd = -(plus[k] - minus[k]) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - g[r * m + k]));
                scale = Math.max(scale, Math.abs(fd));
                for (int q = 0; q < terms.size(); q++) {
                    if (k >= acc.offset(q) && k < acc.offset(q) + terms.get(q).basis().size()) {
                        kinds[q] = Math.max(kinds[q], Math.abs(g[r * m + k]));
                    }
                }
            }
        }
        // every kind of term is exercised
        for (int q = 0; q < terms.size(); q++) {
            assertTrue(kinds[q] > 0, terms.get(q).name() + " has no derivative in the test geometry");
        }
        // central differences: truncation ~ h^2 |phi'''| ~ 1e-12 / knot^3 and rounding ~ 1e-16 |phi| / h, both << 1e-6 of the scale
        assertTrue(worst < 1e-6 * scale, "largest |analytic - finite difference| = " + worst + " (scale " + scale + ")");
    }

    @Test
    void bondedGradientsMatchFiniteDifferencesOfTheGeometry() {
        SplittableRandom r = new SplittableRandom(11);
        double[] s = new double[24];
        double[] t = new double[24];
        for (int trial = 0; trial < 200; trial++) {
            double[] x = new double[12];
            for (int i = 0; i < 12; i++) {
                x[i] = r.nextDouble() * 0.8;
            }
            double phi = ForceMatching.dihedralGradient(x, 0, 1, 2, 3, null, s);
            double ang = ForceMatching.angleGradient(x, 0, 1, 2, null, t);
            assertEquals(org.remcg.observe.BondedGeometry.dihedral(x, 0, 1, 2, 3, null, new double[9]), phi, 1e-14);
            assertEquals(org.remcg.observe.BondedGeometry.angle(x, 0, 1, 2, null, new double[9]), ang, 1e-14);
            double h = 1e-7;
            double[] u = new double[24];
            for (int c = 0; c < 12; c++) {
                double keep = x[c];
                x[c] = keep + h;
                double pp = ForceMatching.dihedralGradient(x, 0, 1, 2, 3, null, u);
                double ap = c < 9 ? ForceMatching.angleGradient(x, 0, 1, 2, null, u) : 0;
                x[c] = keep - h;
                double pm = ForceMatching.dihedralGradient(x, 0, 1, 2, 3, null, u);
                double am = c < 9 ? ForceMatching.angleGradient(x, 0, 1, 2, null, u) : 0;
                x[c] = keep;
                double dp = pp - pm;
                dp -= 2 * Math.PI * Math.rint(dp / (2 * Math.PI));
                // tolerance relative to the gradient: finite differences lose ~1e-9 / h to rounding
                assertEquals(dp / (2 * h), s[12 + c], 1e-5 * (1 + Math.abs(s[12 + c])), "dihedral, coordinate " + c + ", trial " + trial);
                if (c < 9) {
                    assertEquals((ap - am) / (2 * h), t[12 + c], 1e-5 * (1 + Math.abs(t[12 + c])), "angle, coordinate " + c + ", trial " + trial);
                }
            }
        }
    }

    /** Coefficients of a smooth reference function on the basis knots (exactly representable: the model is in the basis). */
    static double[] coefficients(CubicBSpline b, java.util.function.DoubleUnaryOperator u, boolean pairTail) {
        double[] c = new double[b.size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = u.applyAsDouble(b.lower() + (k - 1) * b.knotSpacing());
        }
        if (pairTail) {
            c[c.length - 1] = c[c.length - 2] = c[c.length - 3] = 0;
        }
        return c;
    }

    /** Frames with positions and the engine's own forces from a trimer liquid with a known pair, bond and angle potential. */
    static final class Synthetic {
        final CgTopology top;
        final List<FitTerm> terms;
        final double[] theta;
        final List<Frame> frames = new ArrayList<>();

        Synthetic(int molecules, double l, int nFrames) {
            CgTopology.Builder b = new CgTopology.Builder();
            for (int i = 0; i < molecules; i++) {
                b.molecule();
                int p = b.particle("A0", "A", 30);
                b.particle("A1", "A", 30);
                b.particle("A2", "A", 30);
                b.bond(p, p + 1, "A-A");
                b.bond(p + 1, p + 2, "A-A");
                b.angle(p, p + 1, p + 2, "A-A-A");
            }
            top = b.build();
            double rc = 0.9;
            CubicBSpline pb = new CubicBSpline(30, 0, rc);
            CubicBSpline bb = new CubicBSpline(16, 0.15, 0.55);
            CubicBSpline ab = new CubicBSpline(16, 0, Math.PI);
            terms = List.of(new FitTerm(InteractionKind.PAIR, List.of("A", "A"), rc, pb, null),
                    new FitTerm(InteractionKind.BOND, List.of("A", "A"), 0, bb, null),
                    new FitTerm(InteractionKind.ANGLE, List.of("A", "A", "A"), 0, ab, null));
            double[] cp = coefficients(pb, r -> {
                double s6 = Math.pow(0.32 / Math.max(r, 0.2), 6);
                return Math.min(60, 4 * 1.2 * (s6 * s6 - s6));
            }, true);
            double[] cb = coefficients(bb, r -> 0.5 * 3000 * (r - 0.35) * (r - 0.35), false);
            double[] ca = coefficients(ab, a -> 0.5 * 25 * (a - 2.0) * (a - 2.0), false);
            theta = new double[cp.length + cb.length + ca.length];
            System.arraycopy(cp, 0, theta, 0, cp.length);
            System.arraycopy(cb, 0, theta, cp.length, cb.length);
            System.arraycopy(ca, 0, theta, cp.length + cb.length, ca.length);
            ForceField ff = RemFit.forceField(terms, T, 2, theta);
            // molecules on a lattice, bent along x
            int per = (int) Math.ceil(Math.cbrt(molecules));
            double a = l / per;
            double[] x = new double[9 * molecules];
            for (int i = 0; i < molecules; i++) {
                double px = (i % per + 0.2) * a;
                double py = (i / per % per + 0.5) * a;
                double pz = (i / per / per + 0.5) * a;
                for (int k = 0; k < 3; k++) {
                    x[9 * i + 3 * k] = px + 0.3 * k;
                    x[9 * i + 3 * k + 1] = py + (k == 1 ? 0.15 : 0);
                    x[9 * i + 3 * k + 2] = pz;
                }
            }
            Box box = Box.orthorhombic(l, l, l);
            try (Engine e = new Engine(ff, top, box, x, Engine.Options.defaults().withThreads(2))) {
                e.initializeVelocities(T, 3);
                Integrator.Langevin lang = new Integrator.Langevin(0.002, 5.0, T, 17);
                e.run(lang, 2000, 0, null);
                e.run(lang, 50L * nFrames, 50, (eng, sample) -> {
                    Frame f = new Frame();
                    f.resize(eng.size(), false, true);
                    f.x = eng.positions();
                    f.f = eng.forces();
                    f.box = box;
                    f.index = frames.size();
                    frames.add(f);
                });
            }
        }
    }

    @Test
    void recoversTheForceFieldOfTheEngineThatMadeTheFrames() throws Exception {
        Synthetic sy = new Synthetic(125, 3.2, 40);
        assertEquals(40, sy.frames.size());
        // every function the data touches is fitted, except those with less than 1e-6 of the term's
        // largest occupancy: their few samples would leave them to the automatic ridge, not to the data
        ForceMatching.Options o = new ForceMatching.Options(T, 0, 0, 1e-6);
        ForceMatching.Result res = ForceMatching.fit(sy.terms, sy.top, 2, new MemoryTrajectory(sy.frames).open(), null, 2, o);
        System.out.printf("synthetic FM: rms force %.3f, rms residual %.3e kJ/mol/nm, auto ridge %.3e, free %d%n", res.rmsForce(),
                res.rmsResidual(), res.autoRidge(), res.free());
        // the engine evaluates pair forces from a Hermite table in r^2 (spacing 0.002 nm): the only
        // difference between the data and a model in the basis; measured residual 2.7e-5 relative
        // (1e-5 with the earlier 0.0005 nm tables)
        assertTrue(res.rmsResidual() < 1e-4 * res.rmsForce(), "rms residual " + res.rmsResidual() + " of " + res.rmsForce());
        // the fitted derivatives agree with the true ones where the coordinate is sampled: measured
        // 1e-8 to 5e-5 relative (largest at the edges of the sampled range, where few samples carry
        // the table noise of the data); 1e-3 leaves room for other seeds, a wrong model is off by O(1)
        double[] w = new double[4];
        double[] d1 = new double[4];
        int at = 0;
        for (int q = 0; q < sy.terms.size(); q++) {
            CubicBSpline b = sy.terms.get(q).basis();
            double lo = b.lower() + (res.firstInformed()[q] + 1) * b.knotSpacing();
            double hi = b.lower() + (res.lastInformed()[q] - 3) * b.knotSpacing();
            double worst = 0;
            double scale = 0;
            for (int i = 0; i <= 200; i++) {
                double v = lo + (hi - lo) * i / 200;
                int first = b.evaluate(v, w, d1, null);
                double dt = 0;
                double df = 0;
                for (int j = 0; j < 4; j++) {
                    dt += sy.theta[at + first + j] * d1[j];
                    df += res.theta()[at + first + j] * d1[j];
                }
                worst = Math.max(worst, Math.abs(dt - df));
                scale = Math.max(scale, Math.abs(dt));
            }
            System.out.printf("%s: max |U'_fit - U'_true| = %.3g on [%.3f, %.3f] (max |U'| %.3g)%n", sy.terms.get(q).name(), worst, lo, hi, scale);
            assertTrue(worst < 1e-3 * scale, sy.terms.get(q).name() + ": derivative error " + worst + " of " + scale);
            at += b.size();
        }
        // gauges: the pair potential ends at zero, bonded minima are zero
        CubicBSpline pb = sy.terms.get(0).basis();
        assertEquals(0, pb.combine(res.theta(), pb.upper(), w), 0);
        for (int q = 1; q < 3; q++) {
            CubicBSpline b = sy.terms.get(q).basis();
            double[] c = java.util.Arrays.copyOfRange(res.theta(), q == 1 ? 30 : 46, (q == 1 ? 30 : 46) + b.size());
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i <= 1000; i++) {
                min = Math.min(min, b.combine(c, b.lower() + (b.upper() - b.lower()) * i / 1000, w));
            }
            assertTrue(Math.abs(min) < 1e-6 * 10, sy.terms.get(q).name() + " minimum " + min);
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() throws Exception {
        Synthetic sy = new Synthetic(27, 2.2, 12);
        ForceMatching.Accumulator one = new ForceMatching.Accumulator(sy.terms, sy.top, 2);
        ForceMatching.Accumulator two = new ForceMatching.Accumulator(sy.terms, sy.top, 2);
        new FrameDriver(1, 4).run(new MemoryTrajectory(sy.frames).open(), one);
        new FrameDriver(2, 4).run(new MemoryTrajectory(sy.frames).open(), two);
        assertEquals(12, one.frames());
        assertArrayEquals(one.normalMatrix(), two.normalMatrix(), 0);
        assertArrayEquals(one.normalVector(), two.normalVector(), 0);
        assertEquals(one.forceSquares(), two.forceSquares(), 0);
    }

    @Test
    void aFrameWithoutForcesIsAClearError() {
        Synthetic sy = new Synthetic(8, 2.2, 1);
        Frame f = sy.frames.get(0).copy();
        f.f = null;
        f.index = 7;
        ForceMatching.Accumulator acc = new ForceMatching.Accumulator(sy.terms, sy.top, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> acc.accept(f));
        assertTrue(e.getMessage().contains("frame 7") && e.getMessage().contains("no forces"), e.getMessage());
    }
}
