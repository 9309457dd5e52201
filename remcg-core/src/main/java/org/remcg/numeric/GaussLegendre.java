package org.remcg.numeric;

/**
 * Gauss-Legendre rules on [-1, 1], computed once by Newton iteration on P_n from the
 * Tricomi-type initial guesses cos(pi (i - 1/4) / (n + 1/2)). An n-point rule integrates
 * polynomials of degree 2n - 1 exactly; for a function analytic on a panel of width h its error
 * falls like (h / r)^(2n), r the distance to the nearest singularity.
 */
public final class GaussLegendre {
    /** Points per panel used throughout remcg's quadrature. */
    public static final int DEFAULT_POINTS = 20;

    private static final GaussLegendre DEFAULT = new GaussLegendre(DEFAULT_POINTS);

    private final double[] nodes;
    private final double[] weights;

    public GaussLegendre(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one node");
        }
        nodes = new double[n];
        weights = new double[n];
        for (int i = 0; i < n; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int it = 0; it < 100; it++) {
                double dx = legendre(n, x) / derivative(n, x);
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    break;
                }
            }
            double dp = derivative(n, x);
            nodes[n - 1 - i] = x;
            weights[n - 1 - i] = 2.0 / ((1 - x * x) * dp * dp);
        }
    }

    /** P_n(x) by the three-term recurrence. */
    private static double legendre(int n, double x) {
        return pair(n, x)[1];
    }

    /** P_n'(x) = n (x P_n - P_{n-1}) / (x^2 - 1), valid inside (-1, 1). */
    private static double derivative(int n, double x) {
        double[] p = pair(n, x);
        return n * (x * p[1] - p[0]) / (x * x - 1);
    }

    /** {P_{n-1}(x), P_n(x)}. */
    private static double[] pair(int n, double x) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= n; k++) {
            double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        return n == 0 ? new double[] {0, 1} : new double[] {p0, p1};
    }

    public static GaussLegendre standard() {
        return DEFAULT;
    }

    public int points() {
        return nodes.length;
    }

    /** Node i on [-1, 1], ascending. */
    public double node(int i) {
        return nodes[i];
    }

    /** Weight of node i on [-1, 1]. */
    public double weight(int i) {
        return weights[i];
    }

    /** Integral of f over [a, b] with one panel. */
    public double integrate(java.util.function.DoubleUnaryOperator f, double a, double b) {
        double half = 0.5 * (b - a);
        double mid = 0.5 * (a + b);
        double s = 0;
        for (int i = 0; i < nodes.length; i++) {
            s += weights[i] * f.applyAsDouble(mid + half * nodes[i]);
        }
        return s * half;
    }
}
