package org.remcg.model;

/**
 * The feature vector phi(p) of a linear potential U(p) = theta . phi(p) on a one- or
 * two-dimensional space. Evaluation is sparse: {@link #evaluate} lists the indices and values of
 * the features that can be non-zero at the point (at most {@link #maxNonZero()}).
 *
 * <p>This is what every REM fit consumes: per-sample feature vectors, their averages and
 * covariances.
 */
public interface Features {

    /** 1 or 2. */
    int dimension();

    /** Number of features m. */
    int size();

    /** Upper bound on the number of entries {@link #evaluate} writes. */
    int maxNonZero();

    /** Stable, human-readable name of feature i. */
    String name(int i);

    /** True when a constant lies in the span of the features (theta then has one pure-gauge direction). */
    boolean spansConstant();

    /**
     * Non-zero features at (x, y); y is ignored in one dimension.
     *
     * @param idx receives feature indices (length &gt;= maxNonZero())
     * @param val receives their values
     * @return number of entries written
     */
    int evaluate(double x, double y, int[] idx, double[] val);

    /** The 1-D basis along axis a (0 = x, 1 = y). */
    Basis1D axis(int a);

    /** U = theta . phi(x, y) with caller scratch (length maxNonZero()). */
    default double potential(double[] theta, double x, double y, int[] idx, double[] val) {
        int n = evaluate(x, y, idx, val);
        double u = 0;
        for (int k = 0; k < n; k++) {
            u += theta[idx[k]] * val[k];
        }
        return u;
    }

    /** Features of a single 1-D basis. */
    static Features of(Basis1D basis) {
        return new Features1D(basis);
    }

    /** Tensor-product features of two 1-D bases (see {@link TensorFeatures}). */
    static Features of(Basis1D bx, Basis1D by) {
        return new TensorFeatures(bx, by);
    }
}
