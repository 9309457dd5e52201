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
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                if (n == 1) {
                    p0 = 1;
                    p1 = x;
                }
                dp = n * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    break;
                }
            }
            // recompute the derivative at the converged node for the weight
            double p0 = 1;
            double p1 = x;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (x * p1 - p0) / (x * x - 1);
            nodes[n - 1 - i] = x;
            weights[n - 1 - i] = 2.0 / ((1 - x * x) * dp * dp);
        }
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
