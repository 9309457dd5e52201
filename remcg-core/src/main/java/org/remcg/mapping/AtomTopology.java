package org.remcg.mapping;

import org.remcg.system.CgTopology;
import org.remcg.system.Molecules;
import org.remcg.system.Topology;

/**
 * The particles of an unmapped (atomistic) system as a {@link CgTopology}, so that pair and
 * structure statistics can run on atoms directly: every atom is a particle whose type is its
 * atom name; molecules are those of a GROMACS molecule layout when given, otherwise residues
 * (runs of consecutive atoms with the same residue number and name). No bonds are known, so
 * only the "all intramolecular pairs" exclusion has an effect.
 */
public final class AtomTopology {
    private AtomTopology() {
    }

    /**
     * @param fine      atom names, residues, masses (NaN or 0 masses are kept as given)
     * @param molecules molecule layout, or null to use residues
     */
    public static CgTopology byAtomName(Topology fine, Molecules molecules) {
        int n = fine.atoms();
        if (molecules != null && molecules.atoms() != n) {
            throw new IllegalArgumentException("the molecule layout has " + molecules.atoms() + " atoms but the structure " + n);
        }
        int[] molOf = new int[n];
        if (molecules != null) {
            for (int m = 0; m < molecules.count(); m++) {
                for (int i = molecules.start(m); i < molecules.end(m); i++) {
                    molOf[i] = m;
                }
            }
        }
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < n; i++) {
            boolean start = i == 0 || (molecules != null ? molOf[i] != molOf[i - 1]
                    : fine.residueNumber(i) != fine.residueNumber(i - 1) || !fine.residueName(i).equals(fine.residueName(i - 1)));
            if (start) {
                b.molecule();
            }
            String name = fine.atomName(i);
            b.particle(name, name, fine.mass(i));
        }
        return b.build();
    }
}
