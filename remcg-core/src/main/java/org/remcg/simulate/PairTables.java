package org.remcg.simulate;

import java.util.Arrays;
import java.util.List;
import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.system.InteractionKind;
import org.remcg.model.MiePotential;
import org.remcg.model.Potential;
import org.remcg.model.Wall;

/**
 * The pair interactions as the kernels evaluate them: one table per pair interaction of the force field, found from
 * the two bead types through {@link #tabOf}. A table holds U as a cubic Hermite interpolant in q = r^2 (no square root
 * or division per pair; the force is the exact derivative of the interpolated energy) on a grid uniform in q whose r
 * spacing is {@value Engine#TABLE_SPACING} nm at r* = max(first point, cutoff / 5) and finer beyond, from the first
 * point (the potential's lower bound, or 0.6 sigma for analytic forms) to the cutoff, followed by zeros up to
 * cutoff + 3 {@link InnerLists#PRUNE} (the inner-list kernels evaluate entries up to cutoff + 2 PRUNE without a cutoff
 * test). {@link #ftable} holds the derivative's coefficients prescaled: (1/r) dU/dr = A + u (B + u C) per interval.
 * Below the first point the potential itself is used ({@link #coreDerivative}), with the {@link Wall} continuation for
 * splines and tables. The tables are rebuilt when the force field's parameters change ({@link #update}).
 */
final class PairTables {
    /** Number of tables (pair interactions). */
    final int ntab;
    /** Table index per type pair (type_i * types + type_j), -1 where no pair interaction applies. */
    final int[] tabOf;
    final Interaction[] interaction;
    /** Offset of each table's parameters in the force field's parameter vector, -1 for a fixed potential. */
    final int[] featureOffset;
    final double[] rmin;
    final double[] qmin;
    final double[] invH;
    final int[] base;
    final double[] cut2;
    final double[] list2;
    /** (cutoff + PRUNE)^2 per table: the inner lists' radius. */
    final double[] inner2;
    /** List radius squared per type pair (index type_i * types + type_j); -1 where no table applies. */
    final double[] list2Of;
    final double[] shift;
    private final boolean[] wall;
    private final double[] ua;
    private final double[] da;
    /** Energy table: per interval u0 - shift, d0, and the cubic's two higher coefficients, in u = position in the interval. */
    double[] table = new double[0];
    /** Force-only form of {@link #table}: per interval A, B, C with (1/r) dU/dr = A + u (B + u C), u in [0, 1). */
    double[] ftable = new double[0];
    private long version = -1;
    /** Largest cutoff (nm; 0 without pair interactions). */
    final double maxCut;

    PairTables(ForceField ff, String[] typeNames, double skin) {
        int nt = typeNames.length;
        tabOf = new int[nt * nt];
        Arrays.fill(tabOf, -1);
        List<Interaction> all = ff.interactions();
        int cnt = 0;
        for (Interaction in : all) {
            if (in.kind() == InteractionKind.PAIR) {
                cnt++;
            }
        }
        ntab = cnt;
        interaction = new Interaction[ntab];
        featureOffset = new int[ntab];
        for (int k = 0, t = 0; k < all.size(); k++) {
            Interaction in = all.get(k);
            if (in.kind() != InteractionKind.PAIR) {
                continue;
            }
            interaction[t] = in;
            featureOffset[t] = ff.parameterOffset(k);
            t++;
        }
        Interaction[] of = byTypePair(ff, typeNames);
        for (int ab = 0; ab < nt * nt; ab++) {
            for (int t = 0; t < ntab; t++) {
                if (interaction[t] == of[ab]) {
                    tabOf[ab] = t;
                }
            }
        }
        rmin = new double[ntab];
        qmin = new double[ntab];
        invH = new double[ntab];
        base = new int[ntab];
        cut2 = new double[ntab];
        list2 = new double[ntab];
        inner2 = new double[ntab];
        shift = new double[ntab];
        wall = new boolean[ntab];
        ua = new double[ntab];
        da = new double[ntab];
        double mc = 0;
        for (int t = 0; t < ntab; t++) {
            double rc = interaction[t].cutoff();
            mc = Math.max(mc, rc);
            cut2[t] = rc * rc;
            list2[t] = (rc + skin) * (rc + skin);
            inner2[t] = (rc + InnerLists.PRUNE) * (rc + InnerLists.PRUNE);
        }
        maxCut = mc;
        list2Of = new double[nt * nt];
        for (int k = 0; k < nt * nt; k++) {
            list2Of[k] = tabOf[k] < 0 ? -1 : list2[tabOf[k]];
        }
    }

    /**
     * The pair interaction of each type pair (index type_a * types + type_b, symmetric), null where the force field has
     * none for the two type names (it has at most one per pair of names).
     */
    static Interaction[] byTypePair(ForceField ff, String[] typeNames) {
        int nt = typeNames.length;
        Interaction[] of = new Interaction[nt * nt];
        for (Interaction in : ff.interactions()) {
            if (in.kind() != InteractionKind.PAIR) {
                continue;
            }
            for (int a = 0; a < nt; a++) {
                for (int b = 0; b < nt; b++) {
                    if (in.matches(typeNames[a], typeNames[b])) {
                        of[a * nt + b] = in;
                    }
                }
            }
        }
        return of;
    }

    /** Rebuilds the tables when the force field's parameters changed since the last build; true when it did. */
    boolean update(ForceField ff) {
        if (version == ff.version()) {
            return false;
        }
        build();
        version = ff.version();
        return true;
    }

    private void build() {
        int total = 0;
        int[] nint = new int[ntab];
        for (int t = 0; t < ntab; t++) {
            Potential pot = interaction[t].potential();
            double rc = interaction[t].cutoff();
            double r0;
            if (pot.lowerBound() > 0) {
                r0 = pot.lowerBound();
                wall[t] = true;
            } else if (pot instanceof MiePotential mie) {
                r0 = 0.6 * mie.sigma();
                wall[t] = false;
            } else {
                r0 = Math.min(0.05, 0.5 * rc);
                wall[t] = false;
            }
            if (r0 >= rc) {
                throw new IllegalArgumentException(interaction[t].name() + ": the potential starts at " + r0 + " nm, beyond the cutoff " + rc);
            }
            // grid uniform in q = r^2 with spacing dq = 2 r* h: r spacing h at r* = max(rmin, rc / 5), finer beyond
            double dq = 2 * Math.max(r0, 0.2 * rc) * Engine.TABLE_SPACING;
            nint[t] = Math.max(16, (int) Math.ceil((rc * rc - r0 * r0) / dq));
            rmin[t] = r0;
            qmin[t] = r0 * r0;
            invH[t] = nint[t] / (rc * rc - r0 * r0);
            base[t] = total;
            // zero intervals beyond the cutoff up to cutoff + 3 PRUNE: an inner-list entry is within cutoff + 2 PRUNE
            // while the inner lists are valid, so the inner loops evaluate every entry without a cutoff test
            double far = rc + 3 * InnerLists.PRUNE;
            total += 4 * (nint[t] + 2 + (int) Math.ceil((far * far - rc * rc) * invH[t]));
        }
        if (table.length != total) {
            table = new double[total];
            ftable = new double[total];
        } else {
            Arrays.fill(table, 0);
            Arrays.fill(ftable, 0);
        }
        for (int t = 0; t < ntab; t++) {
            Potential pot = interaction[t].potential();
            double rc = interaction[t].cutoff();
            double h = 1 / invH[t];
            double s = interaction[t].shift() ? pot.energy(rc) : 0;
            shift[t] = s;
            ua[t] = pot.energy(rmin[t]);
            da[t] = pot.derivative(rmin[t]);
            double rTop = Math.max(rc, pot.upperBound());
            double u0 = pot.energy(rmin[t]);
            double d0 = pot.derivative(rmin[t]) / (2 * rmin[t]) * h;
            for (int k = 0; k < nint[t]; k++) {
                double r1 = Math.min(rTop, Math.sqrt(qmin[t] + (k + 1) * h));
                if (k + 1 == nint[t]) {
                    r1 = rc;
                }
                double u1 = pot.energy(r1);
                double d1 = pot.derivative(r1) / (2 * r1) * h;
                if (!Double.isFinite(u0 + u1 + d0 + d1)) {
                    throw new IllegalArgumentException(interaction[t].name() + ": the potential is not finite near r = " + r1 + " nm");
                }
                int b = base[t] + 4 * k;
                table[b] = u0 - s;
                table[b + 1] = d0;
                table[b + 2] = 3 * (u1 - u0) - 2 * d0 - d1;
                table[b + 3] = 2 * (u0 - u1) + d0 + d1;
                // (1/r) dU/dr = 2 dU/dq = 2 (dU/du) / h: the derivative of the cubic above, prescaled
                double ih = invH[t];
                ftable[b] = 2 * ih * table[b + 1];
                ftable[b + 1] = 4 * ih * table[b + 2];
                ftable[b + 2] = 6 * ih * table[b + 3];
                u0 = u1;
                d0 = d1;
            }
        }
    }

    /** (1/r) dU/dr of table t at r^2 = r2 (within the cutoff; zero up to cutoff + 3 PRUNE), from {@code tab} = {@link #ftable}. */
    double force(int t, double r2, double[] tab) {
        double s = (r2 - qmin[t]) * invH[t];
        if (s >= 0) {
            int idx = (int) s;
            double u = s - idx;
            int b = base[t] + 4 * idx;
            return tab[b] + u * (tab[b + 1] + u * tab[b + 2]);
        }
        double r = Math.sqrt(r2);
        return coreDerivative(t, r) / r;
    }

    /** dU/dr of table t below its first point. */
    double coreDerivative(int t, double r) {
        if (wall[t]) {
            return Wall.belowDerivative(da[t], rmin[t], r);
        }
        return interaction[t].potential().derivative(r);
    }

    /** U(r) (shifted) of table t below its first point. */
    double coreEnergy(int t, double r) {
        if (wall[t]) {
            return Wall.belowEnergy(ua[t], da[t], rmin[t], r) - shift[t];
        }
        return interaction[t].potential().energy(r) - shift[t];
    }

    /** d2U/dr2 of table t below its first point. */
    double coreSecond(int t, double r) {
        if (wall[t]) {
            return 2 * Wall.STIFFNESS;
        }
        return interaction[t].potential().secondDerivative(r);
    }
}
