package org.remcg.observe;

import org.remcg.model.Basis1D;

/**
 * One interaction of a linear CG potential as the feature accumulator sees it: which
 * coordinates it acts on and the basis its energy is expanded in. The interaction contributes
 * basis.size() features; feature k of a frame is the sum over the interaction's pairs or terms
 * of basis_k(q).
 */
public sealed interface FeatureTerm {

    /** The basis (its range is in nm for pairs and bonds, radians for angles and dihedrals). */
    Basis1D basis();

    /** A short name, e.g. {@code pair A-B}, {@code angle B-B-A}. */
    String name();

    /** Non-bonded pairs of bead types A and B (either order) closer than the cutoff (nm), exclusions applied. */
    record Pair(String typeA, String typeB, double cutoff, Basis1D basis) implements FeatureTerm {
        public Pair {
            if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
                throw new IllegalArgumentException("pair " + typeA + "-" + typeB + ": cutoff must be positive, got " + cutoff);
            }
        }

        @Override
        public String name() {
            return "pair " + typeA + "-" + typeB;
        }
    }

    /** Bonds with the label; q = length (nm). */
    record Bond(String label, Basis1D basis) implements FeatureTerm {
        @Override
        public String name() {
            return "bond " + label;
        }
    }

    /** Angles with the label; q = angle in radians, [0, pi]. */
    record Angle(String label, Basis1D basis) implements FeatureTerm {
        @Override
        public String name() {
            return "angle " + label;
        }
    }

    /** Dihedrals with the label; q = IUPAC dihedral in radians, [-pi, pi]. */
    record Dihedral(String label, Basis1D basis) implements FeatureTerm {
        @Override
        public String name() {
            return "dihedral " + label;
        }
    }
}
