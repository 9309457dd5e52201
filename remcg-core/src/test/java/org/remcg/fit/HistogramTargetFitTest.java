package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Regularizer;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;
import org.remcg.system.InteractionKind;

/**
 * A g(r) target file is a histogram: fitted from a file of 0.01 nm bins made by our engine from a
 * known potential with a sharp first peak, the model must reproduce the file's bins within their
 * combined statistical error. The old reading of the same file (bin values as point samples,
 * interpolated linearly) blunts the peak and its fit misses the bins by many standard errors.
 */
class HistogramTargetFitTest {
    static final double T = 300;
    static final double KT = Units.KB * T;
    static final int PER_EDGE = 8;          // 512 beads
    static final double L = 2.6;            // nm: 29 beads / nm^3, a dense liquid
    static final double RC = 0.9;
    static final double BIN = 0.01;

    /** A sharp first shell: LJ with a 1.2 kT well, tapered to zero at the cutoff. */
    static double trueU(double r) {
        double s = 0.3 / r;
        double s6 = s * s * s * s * s * s;
        double lj = 4 * 1.2 * KT * (s6 * s6 - s6);
        double taper = r < 0.6 ? 1 : Math.pow(Math.cos(0.5 * Math.PI * (r - 0.6) / (RC - 0.6)), 2);
        return lj * taper;
    }

    /** Validation: a fresh run at theta measured on the target's bins, with block errors. */
    static TargetDistribution[] measure(List<FitTerm> terms, CgTopology top, Box box, double[] x, double[] theta, long seed, double[][] se) {
        ForceField ff = RemFit.forceField(terms, T, 3, theta);
        EngineSampler.Settings md = new EngineSampler.Settings(0.004, 5.0, 24_000, 3_000, 16, seed);
        BlockedMeasurement m = new BlockedMeasurement(terms, top, 3, 10, 24_000 / 16);
        try (Engine e = new Engine(ff, top, box, x, Engine.Options.defaults().withThreads(2))) {
            EngineSampler s = new EngineSampler(e, md);
            s.setSink(m::accept);
            s.sample(theta, 0);
        } catch (IterativeRem.SamplingException ex) {
            throw new AssertionError(ex);
        }
        se[0] = m.standardErrors().get(0);
        ReferenceStatistics rs = m.result();
        if (se.length > 1) {
            se[1] = rs.mean();
            se[2] = rs.standardError();
        }
        return new TargetDistribution[] {rs.distributions().get(0)};
    }

    /** The old reading: bin values as point samples of g, linearly interpolated, Simpson on a 16x finer grid. */
    static double[] linearReading(CubicBSpline basis, TargetDistribution g, double pairsPerVolume) {
        double[] xs = g.x();
        double[] vs = g.value();
        int m = basis.size();
        double[] out = new double[m];
        double a = Math.max(0, xs[0]);
        double b = Math.min(RC, xs[xs.length - 1]);
        int n = 16 * xs.length;
        double h = (b - a) / n;
        double[] val = new double[4];
        for (int s = 0; s <= n; s++) {
            double q = a + s * h;
            int i = Math.max(0, Math.min(xs.length - 2, (int) Math.floor((q - xs[0]) / (xs[1] - xs[0]))));
            double t = (q - xs[i]) / (xs[i + 1] - xs[i]);
            double gq = Math.max(0, vs[i] + t * (vs[i + 1] - vs[i]));
            double w = (s == 0 || s == n) ? 1 : (s % 2 == 1 ? 4 : 2);
            double f = gq * 4 * Math.PI * q * q * w * h / 3 * pairsPerVolume;
            int first = basis.evaluate(q, val, null, null);
            for (int j = 0; j < 4; j++) {
                if (first + j >= 0 && first + j < m) {
                    out[first + j] += f * val[j];
                }
            }
        }
        return out;
    }

    record Miss(double max, double where, double chi2) {
    }

    static Miss miss(TargetDistribution target, double[] targetSe, TargetDistribution model, double[] modelSe) {
        double max = 0;
        double where = 0;
        double chi2 = 0;
        int n = 0;
        for (int i = 0; i < target.bins(); i++) {
            if (target.edges()[i] < 0.2) {
                continue;
            }
            double d = target.value()[i] - model.value()[i];
            double var = targetSe[i] * targetSe[i] + modelSe[i] * modelSe[i];
            if (var > 0) {   // bins empty in both runs (inside the core) carry no information
                chi2 += d * d / var;
                n++;
            }
            if (Math.abs(d) > max) {
                max = Math.abs(d);
                where = target.x()[i];
            }
        }
        return new Miss(max, where, chi2 / n);
    }

    @Test
    void fitFromABinnedFileReproducesItsBins(@TempDir Path dir) throws Exception {
        CubicBSpline basis = new CubicBSpline(70, 0.0, RC);
        BoltzmannInversion.Start truth = SelfConsistencyTest.projected(basis, HistogramTargetFitTest::trueU, 1801);
        CgTopology top = SelfConsistencyTest.beads(PER_EDGE * PER_EDGE * PER_EDGE);
        Box box = Box.orthorhombic(L, L, L);
        double[] start = SelfConsistencyTest.lattice(PER_EDGE, L);
        // the "file": g(r) of the true model on 0.01 nm bins centred on 0.005, 0.015, ... (as remcg rdf writes it)
        double[] edges = new double[(int) Math.round(RC / BIN) + 1];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = i * BIN;
        }
        TargetDistribution grid = TargetDistribution.histogram(edges, new double[edges.length - 1], TargetDistribution.Weight.SHELL);
        List<FitTerm> gridTerms = List.of(new FitTerm(InteractionKind.PAIR, List.of("W", "W"), RC, basis, grid));
        double[][] refSe = new double[3][];
        TargetDistribution ref = measure(gridTerms, top, box, start, truth.theta(), 5, refSe)[0];
        StringBuilder csv = new StringBuilder("r,g\n");
        for (int i = 0; i < ref.bins(); i++) {
            csv.append(String.format(Locale.ROOT, "%.4f %.8g%n", ref.x()[i], ref.value()[i]));
        }
        Path file = dir.resolve("rdf.csv");
        Files.writeString(file, csv);
        TargetDistribution target = TargetDistribution.read(file, TargetDistribution.Bins.DEFAULT, TargetDistribution.Weight.SHELL, 0,
                Double.POSITIVE_INFINITY);
        List<FitTerm> terms = List.of(new FitTerm(InteractionKind.PAIR, List.of("W", "W"), RC, basis, target));
        double ppv = top.size() * (top.size() - 1) / 2.0 / box.volume();
        double[] histogramTargets = DistributionTargets.pair(basis, target, RC, ppv);
        double[] linearTargets = linearReading(basis, target, ppv);
        // the file's target features against the features measured frame by frame on the same run, in standard errors
        double[][] zz = new double[2][2];
        for (int k = 0; k < basis.size(); k++) {
            if (refSe[2][k] > 0) {
                double za = (histogramTargets[k] - refSe[1][k]) / refSe[2][k];
                double zb = (linearTargets[k] - refSe[1][k]) / refSe[2][k];
                zz[0][0] = Math.max(zz[0][0], Math.abs(za));
                zz[1][0] = Math.max(zz[1][0], Math.abs(zb));
                zz[0][1] += za * za / basis.size();
                zz[1][1] += zb * zb / basis.size();
            }
        }
        System.out.printf("target features from the file against the run's own: histogram max |z| %.2f, mean z^2 %.2f; linear max |z| %.2f, "
                + "mean z^2 %.2f%n", zz[0][0], zz[0][1], zz[1][0], zz[1][1]);
        Miss[] misses = new Miss[2];
        for (int run = 0; run < 2; run++) {
            double[] phi = run == 0 ? histogramTargets : linearTargets;
            RemFit.Start s0 = RemFit.start(terms, List.of(target), T);
            ForceField ff = RemFit.forceField(terms, T, 3, s0.theta());
            IterativeRem.State s;
            try (Engine engine = new Engine(ff, top, box, start, Engine.Options.defaults().withThreads(2))) {
                // full length as long as the validation runs (so convergence is judged at their precision), short runs early
                EngineSampler sampler = new EngineSampler(engine, new EngineSampler.Settings(0.004, 5.0, 24_000, 2_000, 16, 11));
                IterativeRem.Options opt = IterativeRem.Options.defaults(1 / KT).withMaxSimulations(run == 0 ? 15 : 8).withMinLength(0.25);
                s = RemFit.run(opt, phi, null, s0, Regularizer.none(), sampler, null, null);
            }
            for (IterativeRem.Step step : s.history()) {
                System.out.println(IterativeRem.describe(step));
            }
            if (run == 0) {
                assertSame(IterativeRem.Stop.CONVERGED, s.stop(), "the fit to the histogram reading");
            }
            double[][] se = new double[1][];
            TargetDistribution model = measure(terms, top, box, start, s.theta(), 17, se)[0];
            misses[run] = miss(target, refSe[0], model, se[0]);
            System.out.printf("%s reading: max |target - model| %.4f at r = %.3f nm, chi^2 per bin %.2f (0.2 nm to the cutoff), %d simulations%n",
                    run == 0 ? "histogram" : "linear-interpolation", misses[run].max(), misses[run].where(), misses[run].chi2(), s.simulations());
        }
        // combined errors of two independent runs: chi^2 per bin ~ 1 (70 bins: its sd is ~0.2, but neighbouring bins correlate)
        assertTrue(misses[0].chi2() < 2.0, "histogram reading chi^2 per bin " + misses[0].chi2());
        assertTrue(misses[1].chi2() > 2 * misses[0].chi2() && misses[1].max() > 2 * misses[0].max(),
                "the linear reading should miss clearly: " + misses[1] + " against " + misses[0]);
    }
}
