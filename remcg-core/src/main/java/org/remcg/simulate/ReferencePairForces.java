package org.remcg.simulate;

import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.model.Potential;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The plain reference for the pair kernels: every pair of particles once, by minimum image, skipping excluded pairs,
 * with the force field's potentials evaluated directly (no table, no neighbour list, no blocks, the topology's order).
 * Slow (O(N^2)) and obvious; the fast kernels are tested against it (they differ by the table's interpolation error
 * and by rounding).
 */
final class ReferencePairForces {
    /** What the pair interactions give at one configuration. */
    record Result(double[] forces, double energy, double virial, double[] features) {
    }

    private final CgTopology top;
    private final Box box;
    private final int nt;
    private final Interaction[] pairOf;
    private final int[] offsetOf;
    private final int features;
    private final CgTopology.Exclusions excl;

    ReferencePairForces(ForceField ff, CgTopology top, Box box) {
        this.top = top;
        this.box = box;
        nt = top.types();
        pairOf = PairTables.byTypePair(ff, top.typeNames());
        offsetOf = new int[nt * nt];
        for (int ab = 0; ab < nt * nt; ab++) {
            for (int k = 0; k < ff.interactions().size(); k++) {
                if (ff.interactions().get(k) == pairOf[ab]) {
                    offsetOf[ab] = ff.parameterOffset(k);
                }
            }
        }
        features = ff.parameterCount();
        excl = top.exclusions(ff.exclusionHops());
    }

    /** Pair forces (kJ/mol/nm, topology order), energy, virial and features at positions x (topology order). */
    Result compute(double[] x) {
        int n = top.size();
        int[] type = top.type();
        double[] f = new double[3 * n];
        double[] phi = new double[features];
        double[] d = new double[3];
        double[] val = new double[16];
        double en = 0;
        double vir = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int tp = type[i] * nt + type[j];
                Interaction in = pairOf[tp];
                if (in == null || excl.excluded(i, j)) {
                    continue;
                }
                for (int k = 0; k < 3; k++) {
                    d[k] = x[3 * j + k] - x[3 * i + k];
                }
                box.minimumImage(d, 0);
                double r = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                double rc = in.cutoff();
                if (!(r < rc)) {
                    continue;
                }
                Potential pot = in.potential();
                double dudr = pot.derivative(r);
                en += pot.energy(r) - (in.shift() ? pot.energy(rc) : 0);
                vir -= dudr * r;
                for (int k = 0; k < 3; k++) {
                    double fk = dudr / r * d[k];
                    f[3 * i + k] += fk;
                    f[3 * j + k] -= fk;
                }
                int off = pot.parameterGradient(r, val);
                if (off >= 0 && offsetOf[tp] >= 0) {
                    for (int q = 0; q < pot.parameterWindow(); q++) {
                        phi[offsetOf[tp] + off + q] += val[q];
                    }
                }
            }
        }
        return new Result(f, en, vir, phi);
    }
}
