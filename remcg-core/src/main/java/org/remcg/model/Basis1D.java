package org.remcg.model;

/**
 * A finite family of real functions phi_0 .. phi_{m-1} of one variable: the features of a
 * linear (exponential-family) potential U(x) = sum_i theta_i phi_i(x).
 *
 * <p>Evaluation is <em>windowed</em>: {@link #evaluate} writes the values of a contiguous
 * window of at most {@link #window()} features starting at the returned offset; every feature
 * outside the window is zero at x. Local bases (cubic B-splines: 4 functions) keep this window
 * small, global bases (Fourier, Legendre) use the whole family. Callers accumulate with
 * {@code acc[offset + k] += val[k]} and never allocate per point.
 *
 * <p>Implementations are immutable and safe to share between threads; scratch arrays belong to
 * the caller.
 */
public interface Basis1D {

    /** Number of features m. */
    int size();

    /** Length of the evaluation window (the arrays passed to {@link #evaluate} need at least this many entries). */
    int window();

    /** Short, stable name of feature i, e.g. {@code cos2} or {@code B07}. */
    String featureName(int i);

    /** The specification this basis was built from, e.g. {@code bspline:20:0,1}; parsable by {@link Bases#parse}. */
    String spec();

    /** Lower end of the range where the basis is defined (for periodic bases: start of the period). */
    double lower();

    /** Upper end of the range where the basis is defined (for periodic bases: end of the period). */
    double upper();

    /** True when the features are periodic with period {@code upper() - lower()}. */
    boolean periodic();

    /** True when the constant function lies in the span of the features (then one direction of theta is a pure gauge). */
    boolean spansConstant();

    /**
     * Breakpoints inside (lower, upper) where some feature loses smoothness (spline knots). Quadrature
     * panels are aligned with them so every panel integrates an analytic function.
     */
    double[] breakpoints();

    /**
     * Values (and optionally first and second derivatives) of the features in the window at x.
     *
     * @param x   the point; outside [lower, upper] a non-periodic basis is zero
     * @param val receives window() values (never null)
     * @param d1  receives first derivatives, or null
     * @param d2  receives second derivatives, or null
     * @return the index of the first feature in the window
     */
    int evaluate(double x, double[] val, double[] d1, double[] d2);

    /** Dense evaluation of all m features at x into out (length &gt;= size()); a convenience, not for hot loops. */
    default void values(double x, double[] out) {
        double[] w = new double[window()];
        java.util.Arrays.fill(out, 0, size(), 0.0);
        int off = evaluate(x, w, null, null);
        for (int k = 0; k < w.length && off + k < size(); k++) {
            out[off + k] = w[k];
        }
    }

    /** U(x) = sum_i theta_i phi_i(x), using caller scratch of length window(). */
    default double combine(double[] theta, double x, double[] scratch) {
        int off = evaluate(x, scratch, null, null);
        int n = Math.min(window(), size() - off);
        double u = 0;
        for (int k = 0; k < n; k++) {
            u += theta[off + k] * scratch[k];
        }
        return u;
    }

    /**
     * Checks a basis' interval [lower, upper] (its range, period or scaling interval, named by {@code what} in the
     * message): finite, with upper &gt; lower.
     */
    static void checkInterval(String what, double lower, double upper) {
        if (!(upper > lower) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException(what + " must be finite with max > min, got [" + lower + ", " + upper + "]");
        }
    }
}
