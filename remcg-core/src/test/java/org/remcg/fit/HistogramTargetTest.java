package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.DataFormatException;
import org.remcg.model.CubicBSpline;
import org.remcg.numeric.GaussLegendre;

/** Target files read as histograms: where the bins lie, the area-preserving reconstruction, bad grids. */
class HistogramTargetTest {

    static final TargetDistribution.Bins CENTRED = TargetDistribution.Bins.DEFAULT;
    static final TargetDistribution.Bins EDGES = new TargetDistribution.Bins(TargetDistribution.Placement.EDGES, Double.NaN);

    /** A sharp first peak and a decaying oscillation: an SPC/E-like g(r). */
    static double gTrue(double r) {
        if (r < 0.24) {
            return 0;
        }
        double core = 1 - Math.exp(-Math.pow((r - 0.24) / 0.02, 2));
        return core * (1 + 2.2 * Math.exp(-Math.pow((r - 0.28) / 0.012, 2)) - 0.3 * Math.exp(-Math.pow((r - 0.34) / 0.03, 2))
                + 0.15 * Math.sin(2 * Math.PI * (r - 0.3) / 0.17) * Math.exp(-(r - 0.3) / 0.2));
    }

    /** Shell-weighted bin averages of gTrue on bins of width h from 0 to rmax (Gauss-Legendre, 20 points per tenth of a bin). */
    static double[] binned(double h, double rmax) {
        int n = (int) Math.round(rmax / h);
        GaussLegendre gl = GaussLegendre.standard();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = 0; p < 10; p++) {
                double a = i * h + p * h / 10;
                for (int k = 0; k < gl.points(); k++) {
                    double q = a + 0.5 * h / 10 * (gl.node(k) + 1);
                    s += 0.5 * h / 10 * gl.weight(k) * gTrue(q) * 4 * Math.PI * q * q;
                }
            }
            double a = i * h;
            double b = a + h;
            v[i] = s / (4.0 / 3.0 * Math.PI * (b * b * b - a * a * a));
        }
        return v;
    }

    static Path write(Path dir, String name, double h, double[] v, boolean centres) throws Exception {
        StringBuilder sb = new StringBuilder("# r g\n@ xvg header line\n");
        for (int i = 0; i < v.length; i++) {
            sb.append(String.format(Locale.ROOT, "%.4f %.10g%n", (i + (centres ? 0.5 : 0)) * h, v[i]));
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    static TargetDistribution read(Path p, TargetDistribution.Bins bins) throws Exception {
        return TargetDistribution.read(p, bins, TargetDistribution.Weight.SHELL, 0, Double.POSITIVE_INFINITY);
    }

    @Test
    void binsAreCentredByDefaultOrGivenByLeftEdges(@TempDir Path dir) throws Exception {
        double[] v = binned(0.01, 1.0);
        TargetDistribution c = read(write(dir, "c.xvg", 0.01, v, true), CENTRED);
        TargetDistribution e = read(write(dir, "e.xvg", 0.01, v, false), EDGES);
        assertEquals(100, c.bins());
        assertEquals(100, e.bins());
        for (int i = 0; i <= 100; i++) {
            assertEquals(0.01 * i, c.edges()[i], 1e-12);
            assertEquals(0.01 * i, e.edges()[i], 1e-12);
        }
        assertTrue(c.uniform());
        // x on multiples of the width, centred (VOTCA / gmx rdf): the first bin is clipped to [0, h/2]
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= 100; i++) {
            sb.append(String.format(Locale.ROOT, "%.3f %.6f%n", 0.01 * i, i < 25 ? 0.0 : 1.0));
        }
        Path votca = dir.resolve("votca.dat");
        Files.writeString(votca, sb);
        TargetDistribution g = read(votca, CENTRED);
        assertEquals(0.0, g.edges()[0], 0);
        assertEquals(0.005, g.edges()[1], 1e-12);
        assertEquals(1.005, g.upper(), 1e-12);
        assertTrue(g.uniform(), "a clipped first bin still belongs to a uniform grid");
        assertEquals(0.01, g.gridStep(), 1e-12);
        // an explicit width that matches is accepted, one that does not is refused
        read(votca, new TargetDistribution.Bins(TargetDistribution.Placement.CENTRED, 0.01));
        DataFormatException w = assertThrows(DataFormatException.class, () -> read(votca,
                new TargetDistribution.Bins(TargetDistribution.Placement.CENTRED, 0.02)));
        assertTrue(w.getMessage().contains("votca.dat") && w.getMessage().contains("overlap"), w.getMessage());
    }

    @Test
    void nonUniformGridsNeedEdges(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("log.dat");
        Files.writeString(p, "0.10 0\n0.20 1\n0.25 2\n0.40 1\n0.50 1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(p, CENTRED));
        assertTrue(e.getMessage().contains("log.dat:3") && e.getMessage().contains("bins: edges"), e.getMessage());
        TargetDistribution d = read(p, EDGES);
        assertEquals(4, d.bins(), "the last row closes the grid");
        assertEquals(0.5, d.upper(), 1e-12);
        assertFalse(d.uniform());
        assertEquals(2.0, d.value()[2], 0);
    }

    @Test
    void binsOutsideTheCoordinateRangeAreRefusedWhenTheyHoldMass(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("angle.dat");
        // centred bins on 0, 0.5, ..., 3.5 rad: the last bin [3.25, 3.75] crosses pi and is clipped; one beyond it holds mass
        Files.writeString(p, "0 0\n0.5 1\n1 1\n1.5 1\n2 1\n2.5 1\n3 1\n3.5 1\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> TargetDistribution.read(p, CENTRED, TargetDistribution.Weight.FLAT, 0, Math.PI));
        assertTrue(e.getMessage().contains("angle.dat:8"), e.getMessage());
        Files.writeString(p, "0 0\n0.5 1\n1 1\n1.5 1\n2 1\n2.5 1\n3 1\n3.5 0\n");
        TargetDistribution d = TargetDistribution.read(p, CENTRED, TargetDistribution.Weight.FLAT, 0, Math.PI);
        assertEquals(Math.PI, d.upper(), 1e-12);
        assertEquals(0.0, d.lower(), 0);
    }

    @Test
    void reconstructionPreservesEveryBinAndStaysNonNegative(@TempDir Path dir) throws Exception {
        TargetDistribution d = read(write(dir, "g.xvg", 0.01, binned(0.01, 1.0), true), CENTRED);
        GaussLegendre gl = new GaussLegendre(8);
        for (int i = 0; i < d.bins(); i++) {
            double a = d.edges()[i];
            double b = d.edges()[i + 1];
            double s = 0;
            for (int p = 0; p < 4; p++) {     // the density is a ratio of polynomials: 4 panels of 8 points
                double pa = a + p * (b - a) / 4;
                for (int k = 0; k < gl.points(); k++) {
                    double q = pa + 0.5 * (b - a) / 4 * (gl.node(k) + 1);
                    double at = d.at(q);
                    assertTrue(at >= 0, "negative density at " + q);
                    s += 0.5 * (b - a) / 4 * gl.weight(k) * at * 4 * Math.PI * q * q;
                }
            }
            double avg = s / (4.0 / 3.0 * Math.PI * (b * b * b - a * a * a));
            assertEquals(d.value()[i], avg, 1e-6 * (1 + d.value()[i]), "bin " + i);
        }
        // the peak is not blunted: at the bin centres the reconstruction is closer to the true curve than the bin values
        double errRecon = 0;
        double errValues = 0;
        for (int i = 25; i < 40; i++) {
            double x = d.x()[i];
            errRecon = Math.max(errRecon, Math.abs(d.at(x) - gTrue(x)));
            errValues = Math.max(errValues, Math.abs(d.value()[i] - gTrue(x)));
        }
        System.out.printf(Locale.ROOT, "first peak, 0.01 nm bins: max |g - g_true| at bin centres %.4f (reconstruction), %.4f (bin values)%n",
                errRecon, errValues);
        assertTrue(errRecon < 0.5 * errValues, errRecon + " against " + errValues);
    }

    @Test
    void featureAveragesMatchTheTrueCurveFarBetterThanLinearInterpolation(@TempDir Path dir) throws Exception {
        double rc = 0.9;
        TargetDistribution d = read(write(dir, "g.xvg", 0.01, binned(0.01, 1.0), true), CENTRED);
        CubicBSpline basis = new CubicBSpline(70, 0, rc);
        double[] hist = DistributionTargets.pair(basis, d, rc, 1.0);
        // exact: integral of g_true B_k 4 pi r^2 on a fine grid; linear: bin values at the centres, interpolated
        int steps = 90_000;
        double h = rc / steps;
        double[] exact = new double[basis.size()];
        double[] linear = new double[basis.size()];
        double[] val = new double[4];
        for (int s = 0; s < steps; s++) {
            double q = (s + 0.5) * h;
            int first = basis.evaluate(q, val, null, null);
            int i = Math.max(0, Math.min(d.bins() - 2, (int) Math.floor((q - d.x()[0]) / 0.01)));
            double t = (q - d.x()[i]) / 0.01;
            double gl = d.value()[i] + t * (d.value()[i + 1] - d.value()[i]);
            for (int j = 0; j < 4; j++) {
                int k = first + j;
                if (k >= 0 && k < basis.size()) {
                    exact[k] += h * val[j] * gTrue(q) * 4 * Math.PI * q * q;
                    linear[k] += h * val[j] * gl * 4 * Math.PI * q * q;
                }
            }
        }
        double max = 0;
        double eh = 0;
        double el = 0;
        for (int k = 0; k < basis.size(); k++) {
            max = Math.max(max, exact[k]);
        }
        for (int k = 0; k < basis.size(); k++) {
            eh = Math.max(eh, Math.abs(hist[k] - exact[k]) / max);
            el = Math.max(el, Math.abs(linear[k] - exact[k]) / max);
        }
        System.out.printf(Locale.ROOT, "feature averages from 0.01 nm bins, 70 B-splines to 0.9 nm: largest error %.2e (histogram reading), "
                + "%.2e (linear interpolation), of the largest feature%n", eh, el);
        assertTrue(eh < 1.5e-3, "histogram reading error " + eh);
        assertTrue(el > 5 * eh, "linear reading error " + el + " against " + eh);
    }

    /** Standard errors per bin of a histogram made from n pair counts: sqrt(g / ideal count), the Poisson error of the bin. */
    static double[] poissonErrors(double h, double[] v, double idealPerVolume) {
        double[] se = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double a = i * h;
            double b = a + h;
            double ideal = idealPerVolume * 4.0 / 3.0 * Math.PI * (b * b * b - a * a * a);
            se[i] = Math.sqrt(v[i] / ideal);
        }
        return se;
    }

    @Test
    void anErrorColumnIsReadClippedAndChecked(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("g.csv");
        Files.writeString(p, "r,g_A-A,g_B-B,se_A-A\n0.00,0,0,0\n0.01,0.5,0.7,0.05\n0.02,1.5,1.2,0.04\n0.03,1.0,1.1,0.03\n");
        TargetDistribution d = TargetDistribution.read(p, CENTRED, TargetDistribution.Weight.SHELL, 0, Double.POSITIVE_INFINITY, 4);
        assertTrue(d.hasErrors());
        assertEquals(4, d.bins());
        assertEquals(0.04, d.error()[2], 0);
        assertEquals(0.04, d.truncated(0.03).error()[2], 0, "truncation keeps the errors of the bins it keeps");
        assertEquals(3, d.truncated(0.03).error().length);
        assertEquals(d.error()[1] / d.value()[1], d.normalized().error()[1] / d.normalized().value()[1], 1e-15, "normalizing scales errors alike");
        assertFalse(TargetDistribution.read(p, CENTRED, TargetDistribution.Weight.SHELL, 0, Double.POSITIVE_INFINITY).hasErrors());
        // a missing column, a negative or non-finite error: refused, naming the line
        Files.writeString(p, "0.01 1 0.1\n0.02 1\n");
        DataFormatException m = assertThrows(DataFormatException.class,
                () -> TargetDistribution.read(p, CENTRED, TargetDistribution.Weight.SHELL, 0, Double.POSITIVE_INFINITY, 3));
        assertTrue(m.getMessage().contains("g.csv:2") && m.getMessage().contains("column 3"), m.getMessage());
        Files.writeString(p, "0.01 1 0.1\n0.02 1 -0.1\n");
        DataFormatException n = assertThrows(DataFormatException.class,
                () -> TargetDistribution.read(p, CENTRED, TargetDistribution.Weight.SHELL, 0, Double.POSITIVE_INFINITY, 3));
        assertTrue(n.getMessage().contains("g.csv:2") && n.getMessage().contains(">= 0"), n.getMessage());
        Files.writeString(p, "0.01 1 0.1\n0.02 1 nan\n");
        assertThrows(DataFormatException.class, () -> TargetDistribution.read(p, CENTRED, TargetDistribution.Weight.SHELL, 0, Double.POSITIVE_INFINITY, 3));
    }

    /**
     * The propagated variances of the feature averages against the scatter of the averages over
     * histograms whose bins were drawn with the stated errors: 400 draws give each sampled variance a
     * relative error of sqrt(2 / 400) = 7 %, so the largest of ~50 per-feature ratios may stray by
     * ~3 sigma = 21 % (35 % allowed); their geometric mean, neighbours being correlated, to ~2-3 %
     * (6 % allowed). A propagation that took each bin's change as flat over the bin, ignoring how it
     * reshapes the neighbours' reconstruction, came out 10 % low here and fails.
     */
    @Test
    void binErrorsPropagateToTheFeatureAverages(@TempDir Path dir) throws Exception {
        double rc = 0.9;
        double h = 0.01;
        double[] v = binned(h, 1.0);
        double[] se = poissonErrors(h, v, 2000.0);
        TargetDistribution d = new TargetDistribution(centres(h, v.length), v, edges(h, v.length), TargetDistribution.Weight.SHELL, se);
        CubicBSpline basis = new CubicBSpline(70, 0, rc);
        double[] var = DistributionTargets.pairVariance(basis, d, rc, 1.0);
        java.util.Random rng = new java.util.Random(7);
        int draws = 400;
        double[] sum = new double[basis.size()];
        double[] sum2 = new double[basis.size()];
        for (int t = 0; t < draws; t++) {
            double[] w = v.clone();
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(0, w[i] + se[i] * rng.nextGaussian());
            }
            double[] phi = DistributionTargets.pair(basis, new TargetDistribution(d.x(), w, d.edges(), TargetDistribution.Weight.SHELL), rc, 1.0);
            for (int k = 0; k < phi.length; k++) {
                sum[k] += phi[k];
                sum2[k] += phi[k] * phi[k];
            }
        }
        double logRatio = 0;
        int used = 0;
        double worst = 0;
        for (int k = 0; k < basis.size(); k++) {
            double mean = sum[k] / draws;
            double sampled = (sum2[k] - draws * mean * mean) / (draws - 1);
            if (!(var[k] > 0) || mean < 1e-3) {
                continue;   // no data under this function (the core)
            }
            double r = var[k] / sampled;
            logRatio += Math.log(r);
            used++;
            worst = Math.max(worst, Math.abs(Math.log(r)));
        }
        double ratio = Math.exp(logRatio / used);
        System.out.printf(Locale.ROOT, "propagated / sampled variance of %d feature averages: geometric mean %.3f, worst %.3f%n", used, ratio, Math.exp(worst));
        assertTrue(used > 40, "features with data " + used);
        assertEquals(1.0, ratio, 0.06);
        assertTrue(worst < Math.log(1.35), "worst ratio " + Math.exp(worst));
        assertNull(DistributionTargets.pairVariance(basis, new TargetDistribution(d.x(), v, d.edges(), TargetDistribution.Weight.SHELL), rc, 1.0),
                "no errors, no variances");
    }

    static double[] centres(double h, int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = (i + 0.5) * h;
        }
        return c;
    }

    static double[] edges(double h, int n) {
        double[] e = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            e[i] = i * h;
        }
        return e;
    }
}
