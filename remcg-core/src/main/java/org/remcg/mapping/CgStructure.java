package org.remcg.mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.remcg.io.DataFormatException;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.system.CgTopology;
import org.remcg.system.Topology;

/**
 * The CG system of a structure file whose particles are already beads (the topology of a mapped trajectory, or a
 * CG start configuration). Without a mapping, atom names are bead types and residues are molecules, with no bonded
 * terms. With a mapping, every residue must be one of its molecules (matched by name; GRO/PDB residue names cut to 5,
 * 4 or 3 characters match the longer name) whose atom names are the molecule's bead names in order, as
 * {@code remcg map --out-conf} writes them: bead types, bonds, angles and dihedrals then come from the mapping, built
 * by {@link Mapper#build} as on the fine path, so labels, term order and direction are the same.
 */
public final class CgStructure {
    private CgStructure() {
    }

    /**
     * @param structure GRO/PDB of beads
     * @param mapping   the mapping YAML the beads were made with, or null
     * @param masses    bead masses by type (amu) replacing the structure's
     */
    public static CgTopology topology(Path structure, Path mapping, Map<String, Double> masses)
            throws IOException, DataFormatException, TrajectoryFormatException {
        Topology t = Trajectories.readStructure(structure).topology();
        if (mapping == null) {
            return AtomTopology.byAtomName(t, null).withMasses(masses);
        }
        MappingSpec spec = MappingFile.read(mapping);
        Set<String> residues = new LinkedHashSet<>();
        for (int i = 0; i < t.atoms(); i++) {
            residues.add(t.residueName(i).strip());
        }
        List<MoleculeSpec> beads = new ArrayList<>();
        for (MoleculeSpec ms : spec.molecules()) {
            String name = null;
            for (int cut : new int[] {ms.name().length(), 5, 4, 3}) {
                if (cut <= ms.name().length() && residues.contains(ms.name().substring(0, cut))) {
                    name = ms.name().substring(0, cut);
                    break;
                }
            }
            if (name == null) {
                continue;   // a molecule the CG system does not hold
            }
            List<BeadSpec> bs = new ArrayList<>();
            for (BeadSpec b : ms.beads()) {
                bs.add(new BeadSpec(b.name(), b.type(), List.of(b.name()), Weights.GEOMETRY));
            }
            beads.add(new MoleculeSpec(name, bs, ms.bonds(), ms.angles(), ms.dihedrals()));
        }
        if (beads.isEmpty()) {
            throw new IllegalArgumentException(structure + ": no residue is a molecule of " + mapping + " (residue names: "
                    + String.join(", ", residues) + ")");
        }
        Mapper m;
        try {
            m = Mapper.build(t, null, new MappingSpec(beads));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(structure + " with " + mapping + " (its atom names must be the bead names): " + e.getMessage(), e);
        }
        if (!m.droppedResidues().isEmpty()) {
            throw new IllegalArgumentException(structure + ": residues " + m.droppedResidues().keySet() + " are not molecules of " + mapping
                    + "; with a mapping every CG residue must be one of its molecules");
        }
        return m.cgTopology().withMasses(masses);
    }
}
