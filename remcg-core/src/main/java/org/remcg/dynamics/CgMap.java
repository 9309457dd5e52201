package org.remcg.dynamics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scalar coarse-grained variable xi(x) of the fine coordinates with its gradient and Hessian,
 * which the exact CG drift needs (Ito: A = grad xi . a + 1/2 (sigma sigma^T) : Hess xi).
 * Built-in maps: linear combinations of coordinates ({@code x1}, {@code 0.5*x1+0.5*x2}),
 * {@code radius} (distance from the origin in the first two coordinates) and {@code angle}
 * (atan2(x2, x1) in (-pi, pi], periodic).
 */
public interface CgMap {

    /** Smallest number of fine coordinates the map reads. */
    int requiredDimension();

    double value(double[] x);

    /** grad xi at x into g (length d, the fine dimension). */
    void gradient(double[] x, double[] g);

    /** Hess xi at x into h (d x d row-major). */
    void hessian(double[] x, double[] h);

    /** Period of the CG variable (2 pi for the angle), or 0 when it is not periodic. */
    double period();

    /** Natural range of the variable (for periodic maps: one period), or null when unbounded. */
    default double[] naturalRange() {
        return null;
    }

    /** The text this map was parsed from. */
    String spec();

    /**
     * Parses one map: {@code radius}, {@code angle}, or a linear combination of coordinates such as
     * {@code x1}, {@code -x2}, {@code 0.5*x1+0.5*x2}, {@code x1-x2}, {@code 2*x3}.
     */
    static CgMap parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.equals("radius")) {
            return new Radius();
        }
        if (s.equals("angle")) {
            return new Angle();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty map; expected x1, a linear combination like 0.5*x1+0.5*x2, radius or angle");
        }
        List<double[]> terms = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int j = i + 1;
            while (j < s.length() && s.charAt(j) != '+' && !(s.charAt(j) == '-' && s.charAt(j - 1) != 'e' && s.charAt(j - 1) != '*')) {
                j++;
            }
            String term = s.substring(i, j);
            i = j;
            double sign = 1;
            if (term.startsWith("+")) {
                term = term.substring(1);
            } else if (term.startsWith("-")) {
                sign = -1;
                term = term.substring(1);
            }
            double coef = 1;
            String var = term;
            int star = term.indexOf('*');
            if (star >= 0) {
                try {
                    coef = Double.parseDouble(term.substring(0, star));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("map '" + spec + "': '" + term.substring(0, star) + "' is not a number");
                }
                var = term.substring(star + 1);
            }
            if (!var.matches("x[1-9][0-9]*")) {
                throw new IllegalArgumentException("map '" + spec + "': '" + var + "' is not a coordinate x1, x2, ...; known maps: "
                        + "x1, a linear combination like 0.5*x1+0.5*x2, radius, angle");
            }
            int k = Integer.parseInt(var.substring(1)) - 1;
            if (!Double.isFinite(coef)) {
                throw new IllegalArgumentException("map '" + spec + "': coefficient must be finite");
            }
            terms.add(new double[] {k, sign * coef});
        }
        int d = 0;
        for (double[] t : terms) {
            d = Math.max(d, (int) t[0] + 1);
        }
        double[] c = new double[d];
        for (double[] t : terms) {
            c[(int) t[0]] += t[1];
        }
        return new Linear(c, spec.trim());
    }

    /** Parses one map or two comma-separated maps (a 2-D CG variable). */
    static CgMap[] parseAll(String spec) {
        String[] parts = spec.split(",", -1);
        if (parts.length < 1 || parts.length > 2) {
            throw new IllegalArgumentException("map '" + spec + "': give one map or two comma-separated maps");
        }
        CgMap[] maps = new CgMap[parts.length];
        for (int i = 0; i < parts.length; i++) {
            maps[i] = parse(parts[i]);
        }
        return maps;
    }

    /** xi(x) = c . x (coordinate selection when c is a unit vector). */
    record Linear(double[] coefficients, String spec) implements CgMap {
        public Linear {
            boolean any = false;
            for (double v : coefficients) {
                any |= v != 0;
            }
            if (!any) {
                throw new IllegalArgumentException("map '" + spec + "': all coefficients are zero (the gradient is singular)");
            }
        }

        @Override public int requiredDimension() { return coefficients.length; }
        @Override public double period() { return 0; }

        @Override
        public double value(double[] x) {
            double v = 0;
            for (int k = 0; k < coefficients.length; k++) {
                v += coefficients[k] * x[k];
            }
            return v;
        }

        @Override
        public void gradient(double[] x, double[] g) {
            java.util.Arrays.fill(g, 0.0);
            System.arraycopy(coefficients, 0, g, 0, coefficients.length);
        }

        @Override
        public void hessian(double[] x, double[] h) {
            java.util.Arrays.fill(h, 0.0);
        }
    }

    /** The gradient of a map of (x1, x2) alone: (g1, g2, 0, ...). */
    private static void inPlane(double[] g, double g1, double g2) {
        java.util.Arrays.fill(g, 0.0);
        g[0] = g1;
        g[1] = g2;
    }

    /** The Hessian (d x d, d = sqrt(h.length)) of a map of (x1, x2) alone: the symmetric block [[h11, h12], [h12, h22]], zero elsewhere. */
    private static void inPlane(double[] h, double h11, double h12, double h22) {
        int d = (int) Math.round(Math.sqrt(h.length));
        java.util.Arrays.fill(h, 0.0);
        h[0] = h11;
        h[1] = h12;
        h[d] = h12;
        h[d + 1] = h22;
    }

    /** xi = sqrt(x1^2 + x2^2). */
    record Radius() implements CgMap {
        @Override public int requiredDimension() { return 2; }
        @Override public double period() { return 0; }
        @Override public String spec() { return "radius"; }

        @Override
        public double value(double[] x) {
            return Math.hypot(x[0], x[1]);
        }

        @Override
        public void gradient(double[] x, double[] g) {
            double r = Math.hypot(x[0], x[1]);
            inPlane(g, x[0] / r, x[1] / r);
        }

        @Override
        public void hessian(double[] x, double[] h) {
            double r = Math.hypot(x[0], x[1]);
            double r3 = r * r * r;
            inPlane(h, x[1] * x[1] / r3, -x[0] * x[1] / r3, x[0] * x[0] / r3);
        }
    }

    /** xi = atan2(x2, x1) in (-pi, pi]. */
    record Angle() implements CgMap {
        @Override public int requiredDimension() { return 2; }
        @Override public double period() { return 2 * Math.PI; }
        @Override public String spec() { return "angle"; }
        @Override public double[] naturalRange() { return new double[] {-Math.PI, Math.PI}; }

        @Override
        public double value(double[] x) {
            return Math.atan2(x[1], x[0]);
        }

        @Override
        public void gradient(double[] x, double[] g) {
            double r2 = x[0] * x[0] + x[1] * x[1];
            inPlane(g, -x[1] / r2, x[0] / r2);
        }

        @Override
        public void hessian(double[] x, double[] h) {
            double r2 = x[0] * x[0] + x[1] * x[1];
            double r4 = r2 * r2;
            inPlane(h, 2 * x[0] * x[1] / r4, (x[1] * x[1] - x[0] * x[0]) / r4, -2 * x[0] * x[1] / r4);
        }
    }
}
