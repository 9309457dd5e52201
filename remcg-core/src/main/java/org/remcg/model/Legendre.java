package org.remcg.model;

/**
 * Legendre polynomials P_1..P_K of the scaled variable s = (2x - a - b) / (b - a), so that
 * [a, b] maps onto [-1, 1] where they are orthogonal. P_0 (the constant) is left out. The
 * polynomials are defined for every x, which lets them serve on unbounded domains too.
 *
 * <p>Values and derivatives come from the three-term recurrence
 * (n+1) P_{n+1} = (2n+1) s P_n - n P_{n-1} and P'_{n+1} = P'_{n-1} + (2n+1) P_n (likewise for P'').
 */
public final class Legendre implements Basis1D {
    /** Highest supported degree; beyond it the monomial growth off [a, b] makes quadrature meaningless. */
    public static final int MAX_DEGREE = 40;
    private final int degree;
    private final double a;
    private final double b;
    private final double scale;

    public Legendre(int degree, double a, double b) {
        if (degree < 1 || degree > MAX_DEGREE) {
            throw new IllegalArgumentException("Legendre degree must be in 1.." + MAX_DEGREE + ", got " + degree);
        }
        Basis1D.checkInterval("Legendre scaling interval", a, b);
        this.degree = degree;
        this.a = a;
        this.b = b;
        this.scale = 2.0 / (b - a);
    }

    public int degree() { return degree; }

    @Override public int size() { return degree; }
    @Override public int window() { return degree; }
    @Override public String featureName(int i) { return "P" + (i + 1); }
    @Override public String spec() { return "legendre:" + degree + ":" + a + "," + b; }
    @Override public double lower() { return a; }
    @Override public double upper() { return b; }
    @Override public boolean periodic() { return false; }
    @Override public boolean spansConstant() { return false; }
    @Override public double[] breakpoints() { return new double[0]; }

    @Override
    public int evaluate(double x, double[] val, double[] d1, double[] d2) {
        double s = (2 * x - a - b) / (b - a);
        double pPrev = 1;      // P_0
        double p = s;          // P_1
        double dPrev = 0;      // P_0'
        double dp = 1;         // P_1'
        double ddPrev = 0;
        double ddp = 0;
        for (int n = 1; n <= degree; n++) {
            val[n - 1] = p;
            if (d1 != null) d1[n - 1] = dp * scale;
            if (d2 != null) d2[n - 1] = ddp * scale * scale;
            double pNext = ((2 * n + 1) * s * p - n * pPrev) / (n + 1);
            double dNext = dPrev + (2 * n + 1) * p;
            double ddNext = ddPrev + (2 * n + 1) * dp;
            // advance the three recurrences (P, P', P'') by one degree
            pPrev = p;
            p = pNext;
            dPrev = dp;
            dp = dNext;
            ddPrev = ddp;
            ddp = ddNext;
        }
        return 0;
    }
}
