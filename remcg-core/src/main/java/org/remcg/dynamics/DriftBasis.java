package org.remcg.dynamics;

import org.remcg.model.Basis1D;
import org.remcg.model.Bases;
import org.remcg.model.Features;
import org.remcg.model.Roughness;

/**
 * The scalar functions psi_k(y) a CG drift is expanded in: remcg's 1-D or 2-D tensor-product
 * {@link Features}, plus a constant when the features do not span one (Fourier, Legendre, and
 * every 2-D tensor product without B-splines on both axes). Evaluation is sparse.
 */
public final class DriftBasis {
    private final Features features;
    private final boolean intercept;
    private final int size;
    private final String spec;

    public DriftBasis(Features features, String spec) {
        this.features = features;
        this.intercept = !features.spansConstant();
        this.size = features.size() + (intercept ? 1 : 0);
        this.spec = spec;
    }

    /**
     * Parses a basis for an m-dimensional CG variable: {@code bspline:20[:A,B]} etc., or for 2-D two
     * specs separated by {@code x} or {@code ;} ({@code bspline:10:-2,2 x bspline:8:-1,1}); a single
     * spec for 2-D is used on both axes. Ranges default to {@code ranges[c]} ({lo, hi}).
     */
    public static DriftBasis parse(String spec, int m, double[][] ranges) {
        String[] parts = spec.split("[x;]", -1);
        if (ranges == null) {
            ranges = new double[][] {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
        }
        if (m == 1) {
            if (parts.length != 1) {
                throw new IllegalArgumentException("basis '" + spec + "': a 1-D CG variable takes one basis");
            }
            return new DriftBasis(Features.of(Bases.parse(parts[0], ranges[0][0], ranges[0][1])), spec.trim());
        }
        if (parts.length > 2) {
            throw new IllegalArgumentException("basis '" + spec + "': a 2-D CG variable takes one or two bases");
        }
        Basis1D bx = Bases.parse(parts[0], ranges[0][0], ranges[0][1]);
        Basis1D by = Bases.parse(parts[parts.length - 1], ranges[1][0], ranges[1][1]);
        return new DriftBasis(Features.of(bx, by), spec.trim());
    }

    public Features features() { return features; }
    public int dimension() { return features.dimension(); }
    /** Number of scalar functions K (features plus the added constant). */
    public int size() { return size; }
    public boolean hasIntercept() { return intercept; }
    public String spec() { return spec; }
    public int maxNonZero() { return features.maxNonZero() + (intercept ? 1 : 0); }

    /** The spec with the ranges resolved, e.g. {@code bspline:24:-2.5,2.5}, for 2-D {@code SPEC x SPEC}. */
    public String resolvedSpec() {
        return dimension() == 1 ? features.axis(0).spec() : features.axis(0).spec() + " x " + features.axis(1).spec();
    }

    /** The names of all functions. */
    public java.util.List<String> names() {
        java.util.List<String> n = new java.util.ArrayList<>();
        for (int k = 0; k < size; k++) {
            n.add(name(k));
        }
        return n;
    }

    public String name(int k) {
        return k < features.size() ? features.name(k) : "1";
    }

    /** Non-zero psi_k(y1, y2) into idx/val (length maxNonZero()); returns their number. */
    public int evaluate(double y1, double y2, int[] idx, double[] val) {
        int n = features.evaluate(y1, y2, idx, val);
        if (intercept) {
            idx[n] = features.size();
            val[n] = 1.0;
            n++;
        }
        return n;
    }

    /** Roughness matrix (K x K) from {@link Roughness}; the constant carries none. */
    public double[] roughness() {
        int f = features.size();
        double[] r = Roughness.matrix(features);
        if (!intercept) {
            return r;
        }
        double[] out = new double[size * size];
        for (int i = 0; i < f; i++) {
            System.arraycopy(r, i * f, out, i * size, f);
        }
        return out;
    }

    /**
     * Checks that the value lies in the basis range along axis c (periodic axes wrap and always pass).
     *
     * @return the value, wrapped into the period for periodic axes
     */
    public double checkRange(int axis, double v, int frame) {
        Basis1D b = features.axis(axis);
        if (b.periodic()) {
            double p = b.upper() - b.lower();
            double w = v - p * Math.floor((v - b.lower()) / p);
            return w;
        }
        if (v < b.lower() || v > b.upper()) {
            throw new IllegalArgumentException("frame " + frame + ": CG value " + v + " lies outside the basis range ["
                    + b.lower() + ", " + b.upper() + "] of " + b.spec() + "; widen the basis range to cover the data");
        }
        return v;
    }
}
