package org.remcg.fit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.remcg.io.DataFormatException;

/**
 * A tabulated distribution: g(r) of a pair of bead types (r in nm) or the raw distribution of a
 * bond length (nm), angle or dihedral (radians), on increasing grid points. Values between grid
 * points are interpolated linearly; outside the grid the distribution is taken as zero.
 */
public record TargetDistribution(double[] x, double[] value) {

    public TargetDistribution {
        if (x.length != value.length || x.length < 2) {
            throw new IllegalArgumentException("a distribution needs at least two points with one value each");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(value[i]) || value[i] < 0) {
                throw new IllegalArgumentException("distribution point " + i + " is not finite and non-negative: " + x[i] + " " + value[i]);
            }
            if (i > 0 && !(x[i] > x[i - 1])) {
                throw new IllegalArgumentException("distribution grid must increase, but x[" + i + "] = " + x[i] + " after " + x[i - 1]);
            }
        }
        x = x.clone();
        value = value.clone();
    }

    /**
     * Reads a distribution file: whitespace- or comma-separated columns {@code x value}, extra
     * columns ignored, blank lines and lines starting with {@code #} or {@code @} ignored (so
     * GROMACS {@code .xvg} files work), and one header line before the data allowed (CSV files
     * of {@code remcg rdf} and {@code remcg dist}).
     */
    public static TargetDistribution read(Path file) throws IOException, DataFormatException {
        double[] xs = new double[256];
        double[] vs = new double[256];
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
                if (cols.length < 2) {
                    throw new DataFormatException(file, no, "expected two columns 'x value', found '" + t + "'");
                }
                double x;
                double v;
                try {
                    x = Double.parseDouble(cols[0]);
                    v = Double.parseDouble(cols[1]);
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
                if (n > 0 && !(x > xs[n - 1])) {
                    throw new DataFormatException(file, no, "x must increase from line to line, but " + x + " follows " + xs[n - 1]);
                }
                if (n == xs.length) {
                    xs = Arrays.copyOf(xs, 2 * n);
                    vs = Arrays.copyOf(vs, 2 * n);
                }
                xs[n] = x;
                vs[n] = v;
                n++;
            }
        }
        if (n < 2) {
            throw new DataFormatException(file, 0, "no data rows (need at least two lines 'x value')");
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, vs[i]);
        }
        if (max == 0) {
            throw new DataFormatException(file, 0, "the distribution is zero everywhere");
        }
        return new TargetDistribution(Arrays.copyOf(xs, n), Arrays.copyOf(vs, n));
    }

    /**
     * The fraction of the distribution's mass (integral of the linear interpolation, weighted by
     * r^2 when {@code shell}, as for g(r)) that lies outside [lo, hi], counting only the part below
     * {@code cap} (the cutoff of a pair; infinity otherwise). 0 when there is no mass below cap.
     */
    public double fractionOutside(double lo, double hi, double cap, boolean shell) {
        double inside = 0;
        double outside = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i];
            double b = Math.min(x[i + 1], cap);
            if (!(b > a)) {
                break;
            }
            // split the interval at lo and hi so each piece is wholly inside or outside; Simpson on each piece
            double[] cuts = {a, Math.max(a, Math.min(b, lo)), Math.max(a, Math.min(b, hi)), b};
            for (int c = 0; c < 3; c++) {
                double p = cuts[c];
                double q = cuts[c + 1];
                if (!(q > p)) {
                    continue;
                }
                double m = 0.5 * (p + q);
                double w = (q - p) / 6 * (weighted(p, shell) + 4 * weighted(m, shell) + weighted(q, shell));
                if (c == 1) {
                    inside += w;
                } else {
                    outside += w;
                }
            }
        }
        double total = inside + outside;
        return total > 0 ? outside / total : 0;
    }

    private double weighted(double q, boolean shell) {
        return at(q) * (shell ? q * q : 1);
    }

    /** Linear interpolation; zero outside the grid. */
    public double at(double q) {
        if (q < x[0] || q > x[x.length - 1]) {
            return 0;
        }
        int i = Arrays.binarySearch(x, q);
        if (i >= 0) {
            return value[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (q - x[lo]) / (x[hi] - x[lo]);
        return value[lo] + t * (value[hi] - value[lo]);
    }

    public double lower() {
        return x[0];
    }

    public double upper() {
        return x[x.length - 1];
    }

    /** The same distribution scaled to unit integral over its grid (trapezoidal rule). */
    public TargetDistribution normalized() {
        double s = 0;
        for (int i = 1; i < x.length; i++) {
            s += 0.5 * (value[i] + value[i - 1]) * (x[i] - x[i - 1]);
        }
        double[] v = new double[value.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = value[i] / s;
        }
        return new TargetDistribution(x, v);
    }
}
