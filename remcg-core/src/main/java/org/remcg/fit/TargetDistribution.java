package org.remcg.fit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.remcg.io.DataFormatException;
import org.remcg.model.Basis1D;
import org.remcg.numeric.GaussLegendre;

/**
 * A distribution given as a histogram: g(r) of a pair of bead types (r in nm) or the raw
 * distribution of a bond length (nm), angle or dihedral (radians). Bin i spans
 * [edges[i], edges[i + 1]) and value[i] is the distribution's <em>average over that bin</em>,
 * weighted by the measure of the coordinate: the shell volume 4 pi r^2 dr for g(r)
 * ({@link Weight#SHELL}), dq for bonded distributions ({@link Weight#FLAT}). That is what every
 * histogramming tool writes (remcg rdf, gmx rdf, VOTCA csg_stat, LAMMPS compute rdf): counts over
 * the bin divided by what a uniform distribution would put there. {@code x[i]} is the label the
 * file gave the bin (its centre or left edge); it carries no weight in any integral.
 *
 * <p><b>Reconstruction.</b> The bin averages fix the cumulative C(q) = integral of p(s) w(s) ds
 * exactly at every edge. Between edges C is interpolated by a monotone cubic Hermite curve
 * (centred three-point slopes, limited by the Fritsch-Carlson conditions so that C never
 * decreases), and the smooth density is p(q) = C'(q) / w(q). This density is non-negative,
 * continuous, and its average over every bin is exactly the file's value (area preserving); a
 * sharp peak is not blunted the way linear interpolation of the bin values blunts it (by
 * about h^2 p'' / 24 per bin on top of the binning's own blur). Feature averages
 * ({@link #integrate}) are integrals against dC, so they too are consistent with the bins.
 *
 * <p><b>Errors.</b> A file may carry the standard error of every bin value (e.g. {@code remcg rdf}'s
 * block errors), or none ({@code error} is then null and the values are taken as exact).
 * {@link #integrateVariance} carries them into the variances of feature averages.
 */
public record TargetDistribution(double[] x, double[] value, double[] edges, Weight weight, double[] error) {

    /** The measure a bin average is taken over. */
    public enum Weight {
        /** dq: bond lengths, angles, dihedrals (raw densities). */
        FLAT,
        /** 4 pi r^2 dr: g(r), whose bin value is counts / (ideal-gas counts in the shell). */
        SHELL;

        double density(double q) {
            return this == SHELL ? 4 * Math.PI * q * q : 1;
        }

        /** Integral of the weight over [a, b]. */
        double measure(double a, double b) {
            return this == SHELL ? 4.0 / 3.0 * Math.PI * (b * b * b - a * a * a) : b - a;
        }
    }

    /** How the x column of a file places the bins (config key {@code bins}). */
    public enum Placement {
        /** Each x is the centre of its bin (default; gmx rdf, VOTCA, LAMMPS, remcg). */
        CENTRED,
        /** Each x is the left edge of its bin. */
        EDGES
    }

    /** Largest relative deviation of a grid step from the mean step for the grid to count as uniform (printing rounds x). */
    static final double UNIFORM_TOLERANCE = 0.02;

    public TargetDistribution {
        int n = value.length;
        if (x.length != n || edges.length != n + 1 || n < 2) {
            throw new IllegalArgumentException("a distribution needs at least two bins, one x, one value per bin and one edge more than bins");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(value[i]) || value[i] < 0) {
                throw new IllegalArgumentException("distribution point " + i + " is not finite and non-negative: " + x[i] + " " + value[i]);
            }
            if (i > 0 && !(x[i] > x[i - 1])) {
                throw new IllegalArgumentException("distribution grid must increase, but x[" + i + "] = " + x[i] + " after " + x[i - 1]);
            }
        }
        for (int i = 0; i <= n; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException("bin edges must be finite and increase, edge " + i + " = " + edges[i]);
            }
        }
        if (weight == Weight.SHELL && edges[0] < 0) {
            throw new IllegalArgumentException("g(r) bins cannot start below r = 0, got " + edges[0]);
        }
        if (error != null) {
            if (error.length != n) {
                throw new IllegalArgumentException("need one error per bin, got " + error.length + " for " + n + " bins");
            }
            for (int i = 0; i < n; i++) {
                if (!(error[i] >= 0) || !Double.isFinite(error[i])) {
                    throw new IllegalArgumentException("the error of bin " + i + " is not finite and non-negative: " + error[i]);
                }
            }
            error = error.clone();
        }
        x = x.clone();
        value = value.clone();
        edges = edges.clone();
    }

    /** A histogram without errors (its values taken as exact). */
    public TargetDistribution(double[] x, double[] value, double[] edges, Weight weight) {
        this(x, value, edges, weight, null);
    }

    /** Whether the bins carry standard errors. */
    public boolean hasErrors() {
        return error != null;
    }

    /**
     * Bins centred on the points x (edges half-way between neighbours, the outer ones half a step
     * beyond the first and last point), flat weight: a histogram read the default way, or a
     * distribution known at points.
     */
    public TargetDistribution(double[] x, double[] value) {
        this(x, value, centredEdges(x, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), Weight.FLAT);
    }

    /** A histogram on the given edges, each value labelled by its bin centre. */
    public static TargetDistribution histogram(double[] edges, double[] value, Weight weight) {
        double[] c = new double[value.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = 0.5 * (edges[i] + edges[i + 1]);
        }
        return new TargetDistribution(c, value, edges, weight);
    }

    /** The same bins and values read with another weight. */
    public TargetDistribution withWeight(Weight w) {
        return new TargetDistribution(x, value, edges, w, error);
    }

    private static double[] centredEdges(double[] x, double lo, double hi) {
        int n = x.length;
        double[] e = new double[n + 1];
        for (int i = 1; i < n; i++) {
            e[i] = 0.5 * (x[i - 1] + x[i]);
        }
        e[0] = Math.max(lo, x[0] - (n > 1 ? 0.5 * (x[1] - x[0]) : 0));
        e[n] = Math.min(hi, x[n - 1] + (n > 1 ? 0.5 * (x[n - 1] - x[n - 2]) : 0));
        return e;
    }

    /**
     * How a file's x column becomes bins.
     *
     * @param placement centred on x (default) or x as left edges
     * @param width     explicit bin width, or NaN for the grid spacing
     */
    public record Bins(Placement placement, double width) {
        public static final Bins DEFAULT = new Bins(Placement.CENTRED, Double.NaN);
    }

    /**
     * Reads a distribution file: whitespace- or comma-separated columns {@code x value}, extra
     * columns ignored, blank lines and lines starting with {@code #} or {@code @} ignored (so
     * GROMACS {@code .xvg} files work), and one header line before the data allowed (CSV files
     * of {@code remcg rdf} and {@code remcg dist}). The values are bin averages; {@code bins}
     * says where the bins lie:
     * <ul>
     *   <li>centred (default): bin i is centred on x_i with the grid spacing (or the explicit
     *       width) as width. The grid must be uniform; an explicit width must equal its spacing
     *       (bins neither overlap nor leave gaps).</li>
     *   <li>edges: x_i is the left edge of bin i. On a uniform grid every row is a bin of the
     *       grid's width; on a non-uniform grid bin i ends where the next row starts and the last
     *       row only closes the grid (its value is not used).</li>
     * </ul>
     * Bins are clipped to [lo, hi], the coordinate's range (0 and infinity for distances, 0 and
     * pi for angles, -pi and pi for dihedrals); a bin wholly outside it is an error.
     */
    public static TargetDistribution read(Path file, Bins bins, Weight weight, double lo, double hi) throws IOException, DataFormatException {
        return read(file, bins, weight, lo, hi, 0);
    }

    /**
     * As {@link #read(Path, Bins, Weight, double, double)}, with the standard error of each bin value
     * taken from column {@code errorColumn} (1-based, at least 3; 0 for none). An error must be a
     * finite number >= 0.
     */
    public static TargetDistribution read(Path file, Bins bins, Weight weight, double lo, double hi, int errorColumn)
            throws IOException, DataFormatException {
        if (errorColumn != 0 && errorColumn < 3) {
            throw new IllegalArgumentException("the error column must be 3 or later (1: x, 2: value), got " + errorColumn);
        }
        int columns = Math.max(2, errorColumn);
        double[] xs = new double[256];
        double[] vs = new double[256];
        double[] es = new double[256];
        long[] lines = new long[256];
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            boolean header = false;
            while ((line = in.readLine()) != null) {
                no++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || t.startsWith("@")) {
                    continue;
                }
                String[] cols = t.split("[\\s,]+");
                if (cols.length < columns) {
                    throw new DataFormatException(file, no, columns == 2 ? "expected two columns 'x value', found '" + t + "'"
                            : "expected " + columns + " columns (x, value, ..., the error in column " + errorColumn + "), found '" + t + "'");
                }
                double x;
                double v;
                double err = 0;
                try {
                    x = Double.parseDouble(cols[0]);
                    v = Double.parseDouble(cols[1]);
                    if (errorColumn > 0) {
                        err = Double.parseDouble(cols[errorColumn - 1]);
                    }
                } catch (NumberFormatException e) {
                    if (n == 0 && !header) {
                        header = true;   // one header line (e.g. "x,g_W-W" of remcg rdf / dist CSV files) is allowed
                        continue;
                    }
                    throw new DataFormatException(file, no, "not a number in '" + t + "'");
                }
                if (!Double.isFinite(x) || !Double.isFinite(v)) {
                    throw new DataFormatException(file, no, "non-finite value in '" + t + "'");
                }
                if (v < 0) {
                    throw new DataFormatException(file, no, "a distribution cannot be negative: " + v);
                }
                if (!(err >= 0) || !Double.isFinite(err)) {
                    throw new DataFormatException(file, no, "the error (column " + errorColumn + ") must be a finite number >= 0, got " + cols[errorColumn - 1]);
                }
                if (n > 0 && !(x > xs[n - 1])) {
                    throw new DataFormatException(file, no, "x must increase from line to line, but " + x + " follows " + xs[n - 1]);
                }
                if (n == xs.length) {
                    xs = Arrays.copyOf(xs, 2 * n);
                    vs = Arrays.copyOf(vs, 2 * n);
                    es = Arrays.copyOf(es, 2 * n);
                    lines = Arrays.copyOf(lines, 2 * n);
                }
                xs[n] = x;
                vs[n] = v;
                es[n] = err;
                lines[n] = no;
                n++;
            }
        }
        if (n < 2) {
            throw new DataFormatException(file, 0, "no data rows (need at least two lines 'x value')");
        }
        xs = Arrays.copyOf(xs, n);
        vs = Arrays.copyOf(vs, n);
        es = Arrays.copyOf(es, n);
        // uniform: every step within the tolerance of the first (the line of the first that is not is reported)
        double first0 = xs[1] - xs[0];
        int bad = -1;
        for (int i = 1; i < n; i++) {
            if (Math.abs(xs[i] - xs[i - 1] - first0) > UNIFORM_TOLERANCE * first0) {
                bad = i;
                break;
            }
        }
        double step = bad < 0 ? (xs[n - 1] - xs[0]) / (n - 1) : first0;
        double width = bins.width();
        if (!Double.isNaN(width) && bad < 0 && Math.abs(width - step) > UNIFORM_TOLERANCE * step) {
            throw new DataFormatException(file, 0, String.format(java.util.Locale.ROOT, "the bin width %s does not match the grid spacing %.6g: the bins "
                    + "would %s", width, step, width > step ? "overlap" : "leave gaps"));
        }
        double[] e;
        double[] x = xs;
        double[] v = vs;
        double[] se = es;
        if (bins.placement() == Placement.CENTRED) {
            if (bad >= 0) {
                throw new DataFormatException(file, lines[bad], String.format(java.util.Locale.ROOT, "the grid is not uniform (step %.6g here, "
                        + "%.6g before): bins centred on x are ambiguous; give the left edges of the bins as x and 'bins: edges'",
                        xs[bad] - xs[bad - 1], step));
            }
            e = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                e[i] = xs[0] + (i - 0.5) * step;
            }
        } else if (bad < 0) {
            e = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                e[i] = xs[0] + i * step;
            }
        } else {
            if (!Double.isNaN(width)) {
                throw new DataFormatException(file, lines[bad], "a bin width cannot be given for a non-uniform grid: with 'bins: edges' "
                        + "each bin ends where the next row starts");
            }
            e = xs.clone();   // n edges: n - 1 bins, the last row closes the grid
            x = Arrays.copyOf(xs, n - 1);
            v = Arrays.copyOf(vs, n - 1);
            se = Arrays.copyOf(es, n - 1);
            if (v.length < 2) {
                throw new DataFormatException(file, 0, "need at least two bins");
            }
        }
        // clip to the coordinate's range; drop bins wholly outside it (they must be empty)
        int first = 0;
        int last = v.length - 1;
        while (first <= last && e[first + 1] <= lo + 1e-12 * Math.abs(step)) {
            if (v[first] > 0) {
                throw new DataFormatException(file, lines[first], "bin [" + e[first] + ", " + e[first + 1] + ") lies below " + lo
                        + ", outside the coordinate's range, but holds " + v[first]);
            }
            first++;
        }
        while (last >= first && e[last] >= hi - 1e-12 * Math.abs(step)) {
            if (v[last] > 0) {
                throw new DataFormatException(file, lines[last], "bin [" + e[last] + ", " + e[last + 1] + ") lies above " + hi
                        + ", outside the coordinate's range, but holds " + v[last]);
            }
            last--;
        }
        if (last - first + 1 < 2) {
            throw new DataFormatException(file, 0, "fewer than two bins inside the coordinate's range [" + lo + ", " + hi + "]");
        }
        double[] ce = Arrays.copyOfRange(e, first, last + 2);
        ce[0] = Math.max(ce[0], lo);
        ce[ce.length - 1] = Math.min(ce[ce.length - 1], hi);
        double[] cv = Arrays.copyOfRange(v, first, last + 1);
        double max = 0;
        for (double q : cv) {
            max = Math.max(max, q);
        }
        if (max == 0) {
            throw new DataFormatException(file, 0, "the distribution is zero everywhere");
        }
        return new TargetDistribution(Arrays.copyOfRange(x, first, last + 1), cv, ce, weight,
                errorColumn > 0 ? Arrays.copyOfRange(se, first, last + 1) : null);
    }

    /** Reads a file with centred bins and flat weight over the whole line (tests, raw data). */
    public static TargetDistribution read(Path file) throws IOException, DataFormatException {
        return read(file, Bins.DEFAULT, Weight.FLAT, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public int bins() {
        return value.length;
    }

    /**
     * True when every bin but the first has the width of the second (to 1e-9 relative) and the first is
     * no wider: a uniform grid, whose first bin may be clipped (a centred bin at 0).
     */
    public boolean uniform() {
        double w = gridStep();
        for (int i = 1; i < bins(); i++) {
            if (Math.abs(edges[i + 1] - edges[i] - w) > 1e-9 * w) {
                return false;
            }
        }
        return edges[1] - edges[0] <= w * (1 + 1e-9);
    }

    /** Width of a full bin of a uniform grid (the second bin's width, the first may be clipped). */
    public double gridStep() {
        return edges[2] - edges[1];
    }

    /** Same bins (to 1e-9 of a bin width)? */
    public boolean sameBins(TargetDistribution o) {
        if (o.edges.length != edges.length) {
            return false;
        }
        for (int i = 0; i < edges.length; i++) {
            if (Math.abs(o.edges[i] - edges[i]) > 1e-9 * Math.max(1e-300, edges[edges.length - 1] - edges[0]) / bins()) {
                return false;
            }
        }
        return true;
    }

    // ---- reconstruction ------------------------------------------------------------------

    /** C at every edge: the integral of value * weight up to it. */
    private double[] cumulativeAtEdges() {
        double[] c = new double[edges.length];
        for (int i = 0; i < bins(); i++) {
            c[i + 1] = c[i] + value[i] * weight.measure(edges[i], edges[i + 1]);
        }
        return c;
    }

    /**
     * Slopes dC/dq at the edges. dC/dq = p w, and the secant slope of bin i is the average of p w
     * over it, so the slope at an inner edge is the value at a cell interface reconstructed from
     * cell averages: fourth order, 7/12 (s_{i-1} + s_i) - 1/12 (s_{i-2} + s_{i+1}), on uniform
     * stretches, the three-point (parabola) value next to the ends and across changes of width.
     * Each slope is then held within [0, 3 s] of both neighbouring bins (inside the Fritsch-Carlson
     * region, so C never decreases) and zero next to an empty bin.
     */
    private double[] slopes(double[] c) {
        int n = bins();
        double[] s = new double[n];   // secant slope of bin i
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = edges[i + 1] - edges[i];
            s[i] = (c[i + 1] - c[i]) / h[i];
        }
        double[] d = new double[n + 1];
        for (int i = 1; i < n; i++) {
            double h0 = h[i - 1];
            double h1 = h[i];
            boolean uniform4 = i >= 2 && i + 1 < n && same(h[i - 2], h0) && same(h0, h1) && same(h1, h[i + 1]);
            d[i] = uniform4 ? 7.0 / 12 * (s[i - 1] + s[i]) - 1.0 / 12 * (s[i - 2] + s[i + 1])
                    : (h1 * s[i - 1] + h0 * s[i]) / (h0 + h1);   // slope of the parabola through three edges at the middle one
        }
        d[0] = endSlope(s[0], s[1], h[0], h[1]);
        d[n] = endSlope(s[n - 1], s[n - 2], h[n - 1], h[n - 2]);
        for (int i = 0; i <= n; i++) {
            double lim = Double.POSITIVE_INFINITY;
            if (i > 0) {
                lim = Math.min(lim, 3 * s[i - 1]);
            }
            if (i < n) {
                lim = Math.min(lim, 3 * s[i]);
            }
            d[i] = Math.max(0, Math.min(d[i], lim));
        }
        return d;
    }

    private static boolean same(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(a, b);
    }

    private static double endSlope(double s0, double s1, double h0, double h1) {
        double d = ((2 * h0 + h1) * s0 - h0 * s1) / (h0 + h1);
        if (d < 0 || s0 == 0) {
            return 0;
        }
        return Math.min(d, 3 * s0);
    }

    /** The reconstructed cumulative's derivative dC/dq at q inside bin i (Hermite cubic). */
    private static double hermiteDerivative(double a, double b, double ca, double cb, double da, double db, double q) {
        double h = b - a;
        double t = (q - a) / h;
        double s = (cb - ca) / h;
        // C(t) = h00 ca + h10 h da + h01 cb + h11 h db; dC/dq = [6t(1-t) s + (1 - 4t + 3t^2) da + (3t^2 - 2t) db]
        return 6 * t * (1 - t) * s + (1 - 4 * t + 3 * t * t) * da + (3 * t * t - 2 * t) * db;
    }

    private static double hermite(double a, double b, double ca, double cb, double da, double db, double q) {
        double h = b - a;
        double t = (q - a) / h;
        double t2 = t * t;
        double t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1) * ca + (t3 - 2 * t2 + t) * h * da + (-2 * t3 + 3 * t2) * cb + (t3 - t2) * h * db;
    }

    /** Bin index holding q (the last bin holds its upper edge), or -1 outside the bins. */
    private int bin(double q) {
        if (q < edges[0] || q > edges[edges.length - 1]) {
            return -1;
        }
        int i = Arrays.binarySearch(edges, q);
        int k = i >= 0 ? i : -i - 2;
        return Math.min(k, bins() - 1);
    }

    /**
     * The reconstructed (area-preserving) density at q; zero outside the bins. Where the weight
     * vanishes (r = 0 for g(r)) the bin's own value is returned.
     */
    public double at(double q) {
        int k = bin(q);
        if (k < 0) {
            return 0;
        }
        Recon r = recon();
        double dc = hermiteDerivative(edges[k], edges[k + 1], r.c[k], r.c[k + 1], r.d[k], r.d[k + 1], q);
        double w = weight.density(q);
        if (!(w > 1e-12 * weight.density(edges[edges.length - 1]))) {
            return value[k];
        }
        return Math.max(0, dc / w);
    }

    /** The reconstructed cumulative C(q) (integral of density times weight from the first edge). */
    public double cumulative(double q) {
        if (q <= edges[0]) {
            return 0;
        }
        Recon r = recon();
        if (q >= edges[edges.length - 1]) {
            return r.c[r.c.length - 1];
        }
        int k = bin(q);
        return hermite(edges[k], edges[k + 1], r.c[k], r.c[k + 1], r.d[k], r.d[k + 1], q);
    }

    private record Recon(double[] c, double[] d) {
    }

    private Recon recon() {
        double[] c = cumulativeAtEdges();
        return new Recon(c, slopes(c));
    }

    /**
     * factor * integral over [a, b] of f_k(q) p(q) w(q) dq for every basis function f_k, with p the
     * reconstructed density: integrals against dC, so a sum of them over whole bins uses exactly
     * the bins' averages. Gauss-Legendre on the pieces between edges and the basis' knots.
     */
    public double[] integrate(Basis1D basis, double a, double b, double factor) {
        int m = basis.size();
        double[] out = new double[m];
        a = Math.max(a, edges[0]);
        b = Math.min(b, edges[edges.length - 1]);
        if (!(b > a)) {
            return out;
        }
        Recon r = recon();
        GaussLegendre gl = new GaussLegendre(4);
        double[] val = new double[basis.window()];
        // sub-pieces: each bin cut into 8 (finer than any knot interval worth resolving at bin scale)
        for (int k = 0; k < bins(); k++) {
            double lo = Math.max(a, edges[k]);
            double hi = Math.min(b, edges[k + 1]);
            if (!(hi > lo) || r.c[k + 1] == r.c[k]) {
                continue;
            }
            int pieces = 8;
            double ph = (hi - lo) / pieces;
            for (int p = 0; p < pieces; p++) {
                double pa = lo + p * ph;
                for (int g = 0; g < gl.points(); g++) {
                    double q = pa + 0.5 * ph * (gl.node(g) + 1);
                    double wq = 0.5 * ph * gl.weight(g)
                            * hermiteDerivative(edges[k], edges[k + 1], r.c[k], r.c[k + 1], r.d[k], r.d[k + 1], q) * factor;
                    if (wq == 0) {
                        continue;
                    }
                    int first = basis.evaluate(q, val, null, null);
                    for (int j = 0; j < val.length; j++) {
                        int idx = first + j;
                        if (idx >= 0 && idx < m) {
                            out[idx] += wq * val[j];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The variances of {@link #integrate}'s results that the bins' standard errors imply, or null
     * without errors: the sum over bins i of (d result_k / d value_i times error_i)^2, the bins taken
     * as independent. The derivatives are those of the reconstruction itself (a change of one bin
     * also reshapes its neighbours' slopes), by central differences of 1e-3 of the bin's error
     * (forward next to zero).
     */
    public double[] integrateVariance(Basis1D basis, double a, double b, double factor) {
        if (error == null) {
            return null;
        }
        double[] var = new double[basis.size()];
        double[] v = value.clone();
        for (int i = 0; i < bins(); i++) {
            double h = 1e-3 * error[i];
            if (!(h > 0) || !(Math.min(b, edges[i + 1]) > Math.max(a, edges[i]) - 2 * gridStepNear(i))) {
                continue;
            }
            double lo = Math.max(0, value[i] - h);
            v[i] = value[i] + h;
            double[] up = new TargetDistribution(x, v, edges, weight).integrate(basis, a, b, factor);
            v[i] = lo;
            double[] down = new TargetDistribution(x, v, edges, weight).integrate(basis, a, b, factor);
            v[i] = value[i];
            double step = value[i] + h - lo;
            for (int k = 0; k < var.length; k++) {
                double d = (up[k] - down[k]) / step * error[i];
                var[k] += d * d;
            }
        }
        return var;
    }

    /** Width of bin i's widest neighbour or itself (how far a change of bin i reaches through the slopes). */
    private double gridStepNear(int i) {
        double w = edges[i + 1] - edges[i];
        if (i > 0) {
            w = Math.max(w, edges[i] - edges[i - 1]);
        }
        if (i + 2 < edges.length) {
            w = Math.max(w, edges[i + 2] - edges[i + 1]);
        }
        return w;
    }

    /**
     * The fraction of the distribution's weighted mass that lies outside [lo, hi], counting only
     * the part below {@code cap} (the cutoff of a pair; infinity otherwise). 0 when there is no
     * mass below cap.
     */
    public double fractionOutside(double lo, double hi, double cap) {
        double total = cumulative(cap);
        if (!(total > 0)) {
            return 0;
        }
        double inside = Math.max(0, cumulative(Math.min(hi, cap)) - cumulative(Math.min(lo, cap)));
        return Math.max(0, 1 - inside / total);
    }

    /**
     * This distribution averaged over other bins: exact where the new edges are edges of this
     * histogram (sums of whole bins), through the reconstructed cumulative elsewhere. Bins outside
     * this histogram's range get 0. The result carries no errors.
     */
    public TargetDistribution rebin(TargetDistribution grid) {
        double[] e = grid.edges;
        double[] v = new double[grid.bins()];
        double[] c = cumulativeAtEdges();
        for (int i = 0; i < v.length; i++) {
            double ca = exactOrInterpolated(e[i], c);
            double cb = exactOrInterpolated(e[i + 1], c);
            double mres = weight.measure(e[i], e[i + 1]);
            v[i] = mres > 0 ? Math.max(0, cb - ca) / mres : 0;
        }
        return new TargetDistribution(grid.x, v, e, weight);
    }

    private double exactOrInterpolated(double q, double[] c) {
        double tol = 1e-9 * (edges[edges.length - 1] - edges[0]) / bins();
        int i = Arrays.binarySearch(edges, q);
        int near = i >= 0 ? i : Math.min(edges.length - 1, -i - 1);
        if (Math.abs(edges[near] - q) <= tol) {
            return c[near];
        }
        if (near > 0 && Math.abs(edges[near - 1] - q) <= tol) {
            return c[near - 1];
        }
        return cumulative(q);
    }

    /** The bins that end at or before hi (a pair's cutoff); at least two must. */
    public TargetDistribution truncated(double hi) {
        int n = 0;
        double tol = 1e-9 * Math.max(Math.abs(hi), edges[edges.length - 1] - edges[0]);
        while (n < bins() && edges[n + 1] <= hi + tol) {
            n++;
        }
        if (n == bins()) {
            return this;
        }
        if (n < 2) {
            throw new IllegalArgumentException("fewer than two bins end before " + hi);
        }
        return new TargetDistribution(Arrays.copyOf(x, n), Arrays.copyOf(value, n), Arrays.copyOf(edges, n + 1), weight,
                error == null ? null : Arrays.copyOf(error, n));
    }

    public double lower() {
        return edges[0];
    }

    public double upper() {
        return edges[edges.length - 1];
    }

    /**
     * The same distribution scaled to unit integral (of value times weight over the bins); errors are
     * scaled by the same factor (the fluctuation of the total is neglected).
     */
    public TargetDistribution normalized() {
        double s = cumulativeAtEdges()[edges.length - 1];
        double[] v = new double[value.length];
        double[] e = error == null ? null : new double[value.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = value[i] / s;
            if (e != null) {
                e[i] = error[i] / s;
            }
        }
        return new TargetDistribution(x, v, edges, weight, e);
    }
}
