package org.remcg.system;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of CG interactions: non-bonded pairs between bead types, and the bonded terms of the
 * topology (bonds, angles, dihedrals). One type serves the force field, the fit's terms, the bonded
 * distributions and the table files. Pair and bond coordinates are distances in nm, angle and
 * dihedral coordinates angles in radians.
 */
public enum InteractionKind {
    PAIR(2), BOND(2), ANGLE(3), DIHEDRAL(4);

    /** The bonded kinds in topology order (bond, angle, dihedral). */
    public static final List<InteractionKind> BONDED = List.of(BOND, ANGLE, DIHEDRAL);

    private final int beads;

    InteractionKind(int beads) {
        this.beads = beads;
    }

    /** Number of beads the interaction joins. */
    public int beads() {
        return beads;
    }

    /** Lower-case name as in configuration and model files and LAMMPS style commands: {@code pair}, {@code bond}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the coordinate is an angle (angles and dihedrals). */
    public boolean angular() {
        return this == ANGLE || this == DIHEDRAL;
    }

    /** Unit of the coordinate: nm for pairs and bonds, rad for angles and dihedrals. */
    public String unit() {
        return angular() ? "rad" : "nm";
    }

    /** Position in {@link #BONDED} (0 bond, 1 angle, 2 dihedral); pairs have none. */
    public int bondedIndex() {
        if (this == PAIR) {
            throw new IllegalArgumentException("pair interactions are not bonded terms");
        }
        return ordinal() - 1;
    }

    /** The kind named by {@link #key()} (any case); an {@link IllegalArgumentException} for other names. */
    public static InteractionKind parse(String key) {
        for (InteractionKind k : values()) {
            if (k.key().equals(key.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("expected pair, bond, angle or dihedral, got '" + key + "'");
    }
}
