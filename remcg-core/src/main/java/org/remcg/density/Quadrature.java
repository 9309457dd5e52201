package org.remcg.density;

import org.remcg.numeric.GaussLegendre;

import java.util.function.DoubleBinaryOperator;

/**
 * Expectations under a density proportional to exp(-beta V) for an arbitrary smooth potential V
 * on a bounded domain, by composite 20-point Gauss-Legendre on uniform panels, doubled until the
 * results of two levels agree to 1e-12 (relative to 1 + |value|).
 */
public final class Quadrature {
    private Quadrature() {
    }

    public static double[] expectations(Domain domain, DoubleBinaryOperator potential, double beta, DoubleBinaryOperator... f) {
        if (!domain.bounded()) {
            throw new IllegalArgumentException("quadrature of a general potential needs a bounded domain");
        }
        double[] prev = null;
        for (int panels = 16; panels <= (domain.dimension() == 1 ? 1 << 16 : 1 << 9); panels *= 2) {
            double[] cur = level(domain, potential, beta, f, panels);
            if (prev != null) {
                boolean ok = true;
                for (int i = 0; i < cur.length; i++) {
                    ok &= Math.abs(cur[i] - prev[i]) <= 1e-12 * (1 + Math.abs(cur[i]));
                }
                if (ok) {
                    return cur;
                }
            }
            prev = cur;
        }
        throw new NotNormalizableException("quadrature of exp(-beta V) did not converge on " + domain.spec());
    }

    private static double[] level(Domain d, DoubleBinaryOperator v, double beta, DoubleBinaryOperator[] f, int panels) {
        GaussLegendre gl = GaussLegendre.standard();
        int q = gl.points();
        boolean twoD = d.dimension() == 2;
        int nx = panels * q;
        int ny = twoD ? panels * q : 1;
        double[] x = new double[nx];
        double[] wx = new double[nx];
        double[] y = new double[ny];
        double[] wy = new double[ny];
        fill(gl, d.xmin(), d.xmax(), panels, x, wx);
        if (twoD) {
            fill(gl, d.ymin(), d.ymax(), panels, y, wy);
        } else {
            wy[0] = 1;
        }
        double vmin = Double.POSITIVE_INFINITY;
        double[] vv = new double[nx * ny];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                vv[i * ny + j] = beta * v.applyAsDouble(x[i], y[j]);
                vmin = Math.min(vmin, vv[i * ny + j]);
            }
        }
        double z = 0;
        double[] out = new double[f.length];
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                double w = wx[i] * wy[j] * Math.exp(vmin - vv[i * ny + j]);
                z += w;
                for (int k = 0; k < f.length; k++) {
                    out[k] += w * f[k].applyAsDouble(x[i], y[j]);
                }
            }
        }
        for (int k = 0; k < f.length; k++) {
            out[k] /= z;
        }
        return out;
    }

    private static void fill(GaussLegendre gl, double a, double b, int panels, double[] x, double[] w) {
        double h = (b - a) / panels;
        int k = 0;
        for (int p = 0; p < panels; p++) {
            double mid = a + (p + 0.5) * h;
            for (int i = 0; i < gl.points(); i++) {
                x[k] = mid + 0.5 * h * gl.node(i);
                w[k] = 0.5 * h * gl.weight(i);
                k++;
            }
        }
    }
}
