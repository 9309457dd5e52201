package org.remcg.mapping;

import java.util.List;

/**
 * One bead of a mapped molecule: its name (unique in the molecule), its type (beads of one type
 * share interactions), the names of the atoms it is made of and how they are weighted. An atom
 * name may be qualified as {@code k:NAME} to mean the atom NAME of the k-th residue (1-based) of
 * a molecule that spans several residues.
 */
public record BeadSpec(String name, String type, List<String> atoms, Weights weights) {
    public BeadSpec {
        atoms = List.copyOf(atoms);
        if (weights == null) {
            weights = Weights.MASS;
        }
    }
}
