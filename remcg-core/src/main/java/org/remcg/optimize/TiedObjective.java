package org.remcg.optimize;

/**
 * An objective over fewer parameters: every full parameter follows one free parameter plus a
 * fixed offset, theta_i = x[tie_i] + offset_i. Free parameters tie to themselves with offset 0.
 * Used for features that the target gives no information about (no data in their support):
 * they are tied to their nearest informed neighbour, raised by a fixed wall height, so the
 * potential keeps a smooth repulsive continuation that moves with the fitted part. A negative
 * tie fixes the parameter at its offset (theta_i = offset_i), e.g. the last coefficients of a
 * pair potential held at zero so that it ends smoothly at the cutoff.
 */
public final class TiedObjective implements Objective {
    private final Objective full;
    private final int[] tie;
    private final double[] offset;
    private final int free;

    /**
     * @param full   the objective over all parameters
     * @param tie    for each full parameter, the index of the free parameter it follows, or -1 when it is fixed
     * @param offset for each full parameter, its fixed offset from that free parameter
     */
    public TiedObjective(Objective full, int[] tie, double[] offset) {
        if (tie.length != full.dimension() || offset.length != full.dimension()) {
            throw new IllegalArgumentException("tie and offset must cover all " + full.dimension() + " parameters");
        }
        int max = -1;
        for (int t : tie) {
            max = Math.max(max, t);
        }
        this.full = full;
        this.tie = tie.clone();
        this.offset = offset.clone();
        this.free = max + 1;
    }

    @Override
    public int dimension() {
        return free;
    }

    /** The full parameter vector for free values x. */
    public double[] embed(double[] x) {
        double[] t = new double[tie.length];
        for (int i = 0; i < tie.length; i++) {
            t[i] = tie[i] < 0 ? offset[i] : x[tie[i]] + offset[i];
        }
        return t;
    }

    /** Free values reproducing the given full vector on the free parameters (the first parameter tied to each slot with offset 0). */
    public double[] restrict(double[] theta) {
        double[] x = new double[free];
        for (int i = tie.length - 1; i >= 0; i--) {
            if (tie[i] >= 0 && offset[i] == 0) {
                x[tie[i]] = theta[i];
            }
        }
        return x;
    }

    @Override
    public Evaluation evaluate(double[] x) {
        Evaluation e = full.evaluate(embed(x));
        if (!e.admissible()) {
            return e;
        }
        int n = tie.length;
        double[] g = new double[free];
        double[] h = new double[free * free];
        for (int i = 0; i < n; i++) {
            if (tie[i] < 0) {
                continue;
            }
            g[tie[i]] += e.gradient()[i];
            int row = tie[i] * free;
            for (int j = 0; j < n; j++) {
                if (tie[j] >= 0) {
                    h[row + tie[j]] += e.hessian()[i * n + j];
                }
            }
        }
        return new Evaluation(e.value(), g, h, null);
    }
}
