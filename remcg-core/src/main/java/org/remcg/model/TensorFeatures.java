package org.remcg.model;

/**
 * Tensor-product features on a rectangle. Each axis contributes its basis functions and, when
 * its basis does not already contain the constant (Fourier, Legendre), the constant 1 as well;
 * the features are all products of one x factor and one y factor, except 1 * 1. So two
 * B-spline bases of sizes Kx, Ky give Kx * Ky features, two Legendre bases of degree K give
 * (K+1)^2 - 1 features (marginal terms plus products).
 */
public final class TensorFeatures implements Features {
    private final Basis1D bx;
    private final Basis1D by;
    private final int nx;   // factors along x (basis size, plus 1 when augmented with the constant)
    private final int ny;
    private final int ax;   // 1 when x is augmented with the constant at factor index 0
    private final int ay;
    private final int skip; // 1 when the 1*1 product is removed
    private final ThreadLocal<double[][]> scratch;

    TensorFeatures(Basis1D bx, Basis1D by) {
        this.bx = bx;
        this.by = by;
        this.ax = bx.spansConstant() ? 0 : 1;
        this.ay = by.spansConstant() ? 0 : 1;
        this.nx = bx.size() + ax;
        this.ny = by.size() + ay;
        this.skip = (ax == 1 && ay == 1) ? 1 : 0;
        this.scratch = ThreadLocal.withInitial(() -> new double[][] {new double[bx.window()], new double[by.window()]});
    }

    @Override public int dimension() { return 2; }
    @Override public int size() { return nx * ny - skip; }
    @Override public boolean spansConstant() { return ax == 0 && ay == 0; }

    @Override
    public int maxNonZero() {
        return (bx.window() + ax) * (by.window() + ay);
    }

    @Override
    public Basis1D axis(int a) {
        return a == 0 ? bx : by;
    }

    /** Number of factors along an axis (its basis size, plus one when augmented with the constant). */
    public int factors(int axis) {
        return axis == 0 ? nx : ny;
    }

    /** True when factor 0 along the axis is the constant 1. */
    public boolean augmented(int axis) {
        return (axis == 0 ? ax : ay) == 1;
    }

    /** Feature index of the product of factor fx (along x) and fy (along y), or -1 for the omitted 1 * 1. */
    public int featureIndex(int fx, int fy) {
        int f = fx * ny + fy - skip;
        return (skip == 1 && fx == 0 && fy == 0) ? -1 : f;
    }

    @Override
    public String name(int i) {
        int f = i + skip;
        int fx = f / ny;
        int fy = f % ny;
        String sx = (ax == 1 && fx == 0) ? null : bx.featureName(fx - ax) + "(x)";
        String sy = (ay == 1 && fy == 0) ? null : by.featureName(fy - ay) + "(y)";
        if (sx == null) {
            return sy;
        }
        return sy == null ? sx : sx + "*" + sy;
    }

    @Override
    public int evaluate(double x, double y, int[] idx, double[] val) {
        double[][] s = scratch.get();
        double[] vx = s[0];
        double[] vy = s[1];
        int ox = bx.evaluate(x, vx, null, null);
        int oy = by.evaluate(y, vy, null, null);
        int cx = Math.min(bx.window(), bx.size() - ox);
        int cy = Math.min(by.window(), by.size() - oy);
        int n = 0;
        for (int i = -ax; i < cx; i++) {
            double fxv = i < 0 ? 1.0 : vx[i];
            int fx = i < 0 ? 0 : ox + i + ax;
            for (int j = -ay; j < cy; j++) {
                if (i < 0 && j < 0) {
                    continue;
                }
                double fyv = j < 0 ? 1.0 : vy[j];
                int fy = j < 0 ? 0 : oy + j + ay;
                idx[n] = fx * ny + fy - skip;
                val[n] = fxv * fyv;
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return bx.spec() + " x " + by.spec();
    }
}
