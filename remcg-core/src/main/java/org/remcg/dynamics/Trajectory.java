package org.remcg.dynamics;

/**
 * A stored trajectory of a d-dimensional process on flat arrays: times t[n], positions x[n*d]
 * (frame-major) and, when known, the fine drift a(x) at each stored frame, a[n*d] (else null).
 * Construction checks that every value is finite and that time increases strictly.
 */
public final class Trajectory {
    private final int dim;
    private final double[] t;
    private final double[] x;
    private final double[] a;

    /**
     * @param source name used in error messages (a file name or system name)
     * @throws IllegalArgumentException for mismatched lengths, non-finite values or non-increasing time
     */
    public Trajectory(String source, int dim, double[] t, double[] x, double[] a) {
        if (dim < 1) {
            throw new IllegalArgumentException(source + ": dimension must be >= 1");
        }
        int n = t.length;
        if (n < 2) {
            throw new IllegalArgumentException(source + ": a trajectory needs at least 2 frames, got " + n);
        }
        if (x.length != (long) n * dim || (a != null && a.length != (long) n * dim)) {
            throw new IllegalArgumentException(source + ": arrays do not hold " + n + " frames of " + dim + " coordinates");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(t[i])) {
                throw new IllegalArgumentException(source + ": frame " + i + ": time is not finite");
            }
            if (i > 0 && !(t[i] > t[i - 1])) {
                throw new IllegalArgumentException(source + ": frame " + i + ": time step " + (t[i] - t[i - 1])
                        + " is not positive (times must increase strictly)");
            }
            for (int k = 0; k < dim; k++) {
                if (!Double.isFinite(x[i * dim + k]) || (a != null && !Double.isFinite(a[i * dim + k]))) {
                    throw new IllegalArgumentException(source + ": frame " + i + ": non-finite position or drift");
                }
            }
        }
        this.dim = dim;
        this.t = t;
        this.x = x;
        this.a = a;
    }

    public int dimension() { return dim; }
    public int frames() { return t.length; }
    /** Times (shared, do not modify). */
    public double[] times() { return t; }
    /** Positions x[i*d + k] (shared, do not modify). */
    public double[] positions() { return x; }
    /** Fine drift a[i*d + k] at the stored frames, or null when unknown (shared, do not modify). */
    public double[] drifts() { return a; }
    public boolean hasDrift() { return a != null; }

    /** The uniform spacing of stored frames; throws when the spacing varies by more than 1e-6 relative. */
    public double uniformStep() {
        double h = (t[t.length - 1] - t[0]) / (t.length - 1);
        for (int i = 1; i < t.length; i++) {
            if (Math.abs(t[i] - t[i - 1] - h) > 1e-6 * h) {
                throw new IllegalArgumentException("frame " + i + ": time step " + (t[i] - t[i - 1])
                        + " differs from the mean step " + h + "; increment estimates need uniform spacing");
            }
        }
        return h;
    }

    /** Frames from..to (exclusive) as a new trajectory (copies). */
    public Trajectory slice(int from, int to) {
        return new Trajectory("slice", dim, java.util.Arrays.copyOfRange(t, from, to),
                java.util.Arrays.copyOfRange(x, from * dim, to * dim),
                a == null ? null : java.util.Arrays.copyOfRange(a, from * dim, to * dim));
    }
}
