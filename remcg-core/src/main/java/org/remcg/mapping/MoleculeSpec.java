package org.remcg.mapping;

import java.util.List;

/**
 * The mapping of one kind of molecule: the residue name in the fine topology (or the name of a
 * GROMACS {@code [ moleculetype ]} when a topology gives the molecules), its beads in order, and
 * the CG bonds, angles and dihedrals as tuples of bead names (pairs, triples, quadruples).
 */
public record MoleculeSpec(String name, List<BeadSpec> beads, List<List<String>> bonds, List<List<String>> angles,
        List<List<String>> dihedrals) {
    public MoleculeSpec {
        beads = List.copyOf(beads);
        bonds = copy(bonds);
        angles = copy(angles);
        dihedrals = copy(dihedrals);
    }

    /** A molecule without bonded terms. */
    public MoleculeSpec(String name, List<BeadSpec> beads) {
        this(name, beads, List.of(), List.of(), List.of());
    }

    private static List<List<String>> copy(List<List<String>> tuples) {
        return tuples == null ? List.of() : tuples.stream().map(List::copyOf).toList();
    }
}
