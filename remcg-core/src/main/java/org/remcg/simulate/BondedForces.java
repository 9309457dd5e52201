package org.remcg.simulate;

import java.util.Arrays;
import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.system.InteractionKind;
import org.remcg.model.Potential;
import org.remcg.observe.BondedGeometry;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The bonded terms of the topology (bonds, angles, dihedrals) with the force field's interaction of each, evaluated
 * on the particles' internal order: each block takes a contiguous share of each kind's terms and adds their forces to
 * its buffer; on sampled passes also their energy, virial, Laplacian (bonds only; the engine reports none with angular
 * terms) and features (dU/dtheta, {@link Potential#parameterGradient}). Each bond vector is the minimum image between
 * consecutive beads of the term; angles and dihedrals and their derivatives come from {@link BondedGeometry}.
 */
final class BondedForces {
    private final Particles particles;
    private final Box box;
    private final int blocks;
    private final Interaction[] bonded;
    private final int[] featureOffset;
    private final int[] bAtoms;
    private final int[] bExt;
    private final int[] bInt;
    private final int[] aAtoms;
    private final int[] aExt;
    private final int[] aInt;
    private final int[] dAtoms;
    private final int[] dExt;
    private final int[] dInt;
    private final double[][] scratch;
    private final double[][] val;

    BondedForces(ForceField ff, CgTopology top, Box box, Particles particles, int blocks) {
        this.particles = particles;
        this.box = box;
        this.blocks = blocks;
        java.util.List<Interaction> all = ff.interactions();
        bonded = all.stream().filter(i -> i.kind() != InteractionKind.PAIR).toArray(Interaction[]::new);
        featureOffset = new int[bonded.length];
        int widest = 0;
        for (int q = 0, k = 0; k < all.size(); k++) {
            if (all.get(k).kind() != InteractionKind.PAIR) {
                featureOffset[q] = ff.parameterOffset(k);
                widest = Math.max(widest, bonded[q].potential().parameterWindow());
                q++;
            }
        }
        String[] names = top.typeNames();
        int[] type = top.type();
        bExt = top.bonds().clone();
        bAtoms = bExt.clone();
        bInt = assign(bonded, InteractionKind.BOND, bAtoms, 2, names, type);
        aExt = top.angles().clone();
        aAtoms = aExt.clone();
        aInt = assign(bonded, InteractionKind.ANGLE, aAtoms, 3, names, type);
        dExt = top.dihedrals().clone();
        dAtoms = dExt.clone();
        dInt = assign(bonded, InteractionKind.DIHEDRAL, dAtoms, 4, names, type);
        scratch = new double[blocks][21];
        val = new double[blocks][widest];
    }

    /**
     * The interaction of each bonded term of a kind (the last of the model's interactions whose bead types match the
     * term's); throws naming the particles when none does. {@code atoms} holds {@code per} particle indices per term.
     */
    static int[] assign(Interaction[] bonded, InteractionKind kind, int[] atoms, int per, String[] names, int[] type) {
        int terms = atoms.length / per;
        int[] out = new int[terms];
        String[] ts = new String[per];
        for (int q = 0; q < terms; q++) {
            for (int k = 0; k < per; k++) {
                ts[k] = names[type[atoms[q * per + k]]];
            }
            out[q] = -1;
            for (int b = 0; b < bonded.length; b++) {
                if (bonded[b].kind() == kind && bonded[b].matches(ts)) {
                    out[q] = b;
                }
            }
            if (out[q] < 0) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < per; k++) {
                    sb.append(k == 0 ? "" : ", ").append(atoms[q * per + k] + 1);
                }
                throw new IllegalArgumentException("the model has no " + kind.key() + " interaction for beads " + String.join("-", ts)
                        + " (particles " + sb + ")");
            }
        }
        return out;
    }

    /** Number of bonded terms. */
    int terms() {
        return bInt.length + aInt.length + dInt.length;
    }

    /** Whether there are angle or dihedral terms (the engine then reports no Laplacian). */
    boolean angular() {
        return aInt.length > 0 || dInt.length > 0;
    }

    /** After the particles were re-ordered: the terms' particles in the new internal order. */
    void remap(int[] inv) {
        for (int k = 0; k < bExt.length; k++) {
            bAtoms[k] = inv[bExt[k]];
        }
        for (int k = 0; k < aExt.length; k++) {
            aAtoms[k] = inv[aExt[k]];
        }
        for (int k = 0; k < dExt.length; k++) {
            dAtoms[k] = inv[dExt[k]];
        }
    }

    /**
     * Adds the forces of block p's share of the terms to {@code fb}; with {@code sums} (a sampled pass, after the pair
     * kernel wrote the block's sums) also their energy, virial, Laplacian and features.
     */
    void run(int p, double[] fb, BlockSums sums) {
        int nbnd = bInt.length;
        int nang = aInt.length;
        int ndih = dInt.length;
        if (nbnd + nang + ndih == 0) {
            return;
        }
        boolean sample = sums != null;
        final double[] x = particles.x;
        int nb = blocks;
        double en = 0;
        double vir = 0;
        double lap = 0;
        double[] sc = scratch[p];
        double[] v = val[p];
        double[] ph = sample ? sums.features[p] : null;
        // bonds
        for (int q = (int) ((long) nbnd * p / nb), qe = (int) ((long) nbnd * (p + 1) / nb); q < qe; q++) {
            int i = bAtoms[2 * q];
            int j = bAtoms[2 * q + 1];
            BondedGeometry.bond(x, i, j, box, sc, 0);
            double r = Math.sqrt(sc[0] * sc[0] + sc[1] * sc[1] + sc[2] * sc[2]);
            Potential pot = bonded[bInt[q]].potential();
            double dudr = pot.derivative(r);
            double g = dudr / r;
            for (int d = 0; d < 3; d++) {
                fb[3 * i + d] += g * sc[d];
                fb[3 * j + d] -= g * sc[d];
            }
            if (sample) {
                en += pot.energy(r);
                vir -= dudr * r;
                lap += 2 * (pot.secondDerivative(r) + 2 * dudr / r);
                features(bInt[q], r, v, ph);
            }
        }
        // angles: theta at the middle particle j
        for (int q = (int) ((long) nang * p / nb), qe = (int) ((long) nang * (p + 1) / nb); q < qe; q++) {
            int i = aAtoms[3 * q];
            int j = aAtoms[3 * q + 1];
            int k = aAtoms[3 * q + 2];
            BondedGeometry.bond(x, j, i, box, sc, 0);
            BondedGeometry.bond(x, j, k, box, sc, 3);
            // sc[6..8], sc[9..11]: d cos / d R_i, d cos / d R_k; sc[12]: sin theta
            double theta = BondedGeometry.angleGradient(sc, 0, sc, 6);
            Potential pot = bonded[aInt[q]].potential();
            double dudt = pot.derivative(theta);
            // F = -dU/dtheta dtheta/dx = dU/dtheta / sin dcos/dx, with sin floored (a straight angle feels no force)
            double pre = dudt / Math.max(1e-8, sc[12]);
            double wv = 0;
            for (int d = 0; d < 3; d++) {
                double fi = pre * sc[6 + d];
                double fk = pre * sc[9 + d];
                fb[3 * i + d] += fi;
                fb[3 * k + d] += fk;
                fb[3 * j + d] -= fi + fk;
                wv += sc[d] * fi + sc[3 + d] * fk;
            }
            if (sample) {
                en += pot.energy(theta);
                vir += wv;
                features(aInt[q], theta, v, ph);
            }
        }
        // dihedrals
        for (int q = (int) ((long) ndih * p / nb), qe = (int) ((long) ndih * (p + 1) / nb); q < qe; q++) {
            int i = dAtoms[4 * q];
            int j = dAtoms[4 * q + 1];
            int k = dAtoms[4 * q + 2];
            int l = dAtoms[4 * q + 3];
            BondedGeometry.bond(x, i, j, box, sc, 0);
            BondedGeometry.bond(x, j, k, box, sc, 3);
            BondedGeometry.bond(x, k, l, box, sc, 6);
            // sc[9..20]: d phi / d R_i, R_j, R_k, R_l
            double phiAng = BondedGeometry.dihedralGradient(sc, 0, sc, 9);
            Potential pot = bonded[dInt[q]].potential();
            double dudp = pot.derivative(phiAng);
            double wv = 0;
            for (int d = 0; d < 3; d++) {
                double fi = -dudp * sc[9 + d];
                double fj = -dudp * sc[12 + d];
                double fk = -dudp * sc[15 + d];
                double fl = -dudp * sc[18 + d];
                fb[3 * i + d] += fi;
                fb[3 * j + d] += fj;
                fb[3 * k + d] += fk;
                fb[3 * l + d] += fl;
                // positions relative to particle i: j = b1, k = b1 + b2, l = b1 + b2 + b3
                wv += sc[d] * fj + (sc[d] + sc[3 + d]) * fk + (sc[d] + sc[3 + d] + sc[6 + d]) * fl;
            }
            if (sample) {
                en += pot.energy(phiAng);
                vir += wv;
                features(dInt[q], phiAng, v, ph);
            }
        }
        if (sample) {
            sums.energy[p] += en;
            sums.virial[p] += vir;
            sums.laplacian[p] += lap;
        }
    }

    /** Adds dU/dtheta of bonded interaction b at q to the block's feature vector. */
    private void features(int b, double q, double[] v, double[] ph) {
        int fo = featureOffset[b];
        if (fo >= 0) {
            Potential pot = bonded[b].potential();
            int off = pot.parameterGradient(q, v);
            if (off >= 0) {
                for (int k = 0, w = pot.parameterWindow(); k < w; k++) {
                    ph[fo + off + k] += v[k];
                }
            }
        }
    }

    /** The bonded interactions, in the force field's order (for the distributions). */
    Interaction[] interactions() {
        return Arrays.copyOf(bonded, bonded.length);
    }
}
