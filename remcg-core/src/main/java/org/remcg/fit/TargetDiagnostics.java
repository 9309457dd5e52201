package org.remcg.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.remcg.model.CubicBSpline;
import org.remcg.system.InteractionKind;

/**
 * What a target asks that the model cannot give, found before the first simulation, each named with
 * its interaction and coordinate range:
 * <ul>
 *   <li>an empty bin between populated ones (a model with a finite potential puts some weight in every
 *       bin, so such a bin can only be approached, never matched);</li>
 *   <li>B-splines without target data: their coefficients are not fitted but tied as a wall, so the
 *       model's distribution there is set by the wall, not by the target;</li>
 *   <li>populated bins where the start potential is a wall (more than {@link #WALL_KT} kT above its
 *       lowest value over the populated bins): the first simulations will hardly visit them.</li>
 * </ul>
 */
public final class TargetDiagnostics {
    private TargetDiagnostics() {
    }

    /** Start potential height that counts as a wall, kT above the potential's minimum over the populated bins. */
    public static final double WALL_KT = 12;

    /**
     * @param grid  the target on its bins (for pairs up to the cutoff)
     * @param start the term's Boltzmann-inversion start
     * @param kT    thermal energy (kJ/mol)
     */
    public static List<String> check(FitTerm t, TargetDistribution grid, BoltzmannInversion.Start start, double kT) {
        List<String> out = new ArrayList<>();
        String unit = t.unit();
        if (t.kind() == InteractionKind.PAIR) {
            grid = grid.truncated(t.cutoff());   // a shared reference RDF runs to the largest cutoff of all pairs
        }
        double[] v = grid.value();
        double[] e = grid.edges();
        int first = -1;
        int last = -1;
        double max = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0) {
                first = first < 0 ? i : first;
                last = i;
            }
            max = Math.max(max, v[i]);
        }
        // empty bins inside the populated range, grouped into runs
        for (int i = first; i >= 0 && i <= last; i++) {
            if (v[i] == 0) {
                int j = i;
                while (j + 1 <= last && v[j + 1] == 0) {
                    j++;
                }
                out.add(String.format(Locale.ROOT, "%s: the target is zero in %s, between populated bins (%d empty bin%s): the model can "
                        + "only approach it", t.name(), range(e[i], e[j + 1], unit), j - i + 1, j > i ? "s" : ""));
                i = j;
            }
        }
        CubicBSpline b = t.basis();
        int fi = start.firstInformed();
        int li = start.lastInformed();
        if (fi > 0) {
            out.add(String.format(Locale.ROOT, "%s: no target data for the B-splines below %s (%d of %d): tied as a repulsive wall, not fitted",
                    t.name(), fmt(b.supportLower(fi), unit), fi, b.size()));
        }
        if (t.kind() != InteractionKind.PAIR && li < b.size() - 1) {
            out.add(String.format(Locale.ROOT, "%s: no target data for the B-splines above %s (%d of %d): tied as a repulsive wall, not fitted",
                    t.name(), fmt(b.supportUpper(li), unit), b.size() - 1 - li, b.size()));
        }
        // populated bins where the start potential is a wall
        double[] val = new double[4];
        double umin = Double.POSITIVE_INFINITY;
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double x = 0.5 * (e[i] + e[i + 1]);
            u[i] = x >= b.lower() && x <= b.upper() ? b.combine(start.theta(), x, val) : Double.POSITIVE_INFINITY;
            if (v[i] > 1e-3 * max) {
                umin = Math.min(umin, u[i]);
            }
        }
        double wallEnd = b.supportLower(fi);   // below it only tied wall coefficients shape the potential
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0 && (0.5 * (e[i] + e[i + 1]) < wallEnd || u[i] - umin > WALL_KT * kT)) {
                int j = i;
                while (j + 1 < v.length && v[j + 1] > 0 && (0.5 * (e[j + 1] + e[j + 2]) < wallEnd || u[j + 1] - umin > WALL_KT * kT)) {
                    j++;
                }
                double mass = 0;
                for (int k = i; k <= j; k++) {
                    mass += v[k];
                }
                out.add(String.format(Locale.ROOT, "%s: the target has weight in %s (values up to %.3g) where the start potential is a wall "
                        + "(%.3g kT above its minimum over the populated bins, or tied wall coefficients): the first simulations hardly visit it",
                        t.name(), range(e[i], e[j + 1], unit), maxOf(v, i, j), Math.min(u[i] - umin, u[j] - umin) / kT));
                i = j;
            }
        }
        return out;
    }

    private static double maxOf(double[] v, int i, int j) {
        double m = 0;
        for (int k = i; k <= j; k++) {
            m = Math.max(m, v[k]);
        }
        return m;
    }

    private static String range(double a, double b, String unit) {
        return num(a) + "-" + num(b) + " " + unit;
    }

    private static String fmt(double a, String unit) {
        return num(a) + " " + unit;
    }

    /** Four significant digits without trailing zeros. */
    static String num(double a) {
        return new java.math.BigDecimal(a).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
