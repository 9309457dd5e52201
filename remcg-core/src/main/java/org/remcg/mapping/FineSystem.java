package org.remcg.mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;
import org.remcg.io.DataFormatException;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.system.CgTopology;
import org.remcg.system.GromacsTopology;
import org.remcg.system.Masses;
import org.remcg.system.Molecules;
import org.remcg.system.Topology;

/**
 * A fine (atomistic) system read from a structure, plus a GROMACS topology for masses and molecules,
 * and either a mapper to beads or, without a mapping, the atoms themselves typed by atom name.
 *
 * @param fine      the fine topology (masses from the GROMACS topology or guessed from atom names)
 * @param molecules the GROMACS molecule layout, or null without a GROMACS topology
 * @param mapper    the mapping to beads, or null without a mapping
 * @param particles the particles statistics run on: the beads, or the atoms typed by name
 */
public record FineSystem(Topology fine, Molecules molecules, Mapper mapper, CgTopology particles) {

    /**
     * @param structure       GRO/PDB structure with atom and residue names
     * @param topology        GROMACS topology (.top/.itp) or null
     * @param defines         macros for the topology's #ifdef
     * @param mapping         mapping YAML or null (atoms typed by name; masses are then not needed)
     * @param warnings        receives what was guessed or is unknown (masses from atom names)
     */
    public static FineSystem load(Path structure, Path topology, Collection<String> defines, Path mapping, Consumer<String> warnings)
            throws IOException, DataFormatException, TrajectoryFormatException {
        MappingSpec spec = mapping == null ? null : MappingFile.read(mapping);
        Topology fine = Trajectories.readStructure(structure).topology();
        Molecules molecules = null;
        if (topology != null) {
            GromacsTopology gt = GromacsTopology.read(topology, GromacsTopology.defaultIncludePath(), Set.copyOf(defines));
            fine = gt.apply(fine, structure);
            molecules = gt.layout();
        } else if (spec != null) {
            fine = inferMasses(fine, spec, warnings);
        }
        if (spec == null) {
            return new FineSystem(fine, molecules, null, AtomTopology.byAtomName(fine, molecules));
        }
        Mapper mapper;
        try {
            mapper = Mapper.build(fine, molecules, spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(mapping + ": " + e.getMessage(), e);
        }
        return new FineSystem(fine, molecules, mapper, mapper.cgTopology());
    }

    /**
     * Masses by the atom-name rule ({@link Masses#infer}), with a warning listing the guessed names; atoms whose
     * mass cannot be inferred are an error only when the mapping weights beads by mass.
     */
    public static Topology inferMasses(Topology fine, MappingSpec spec, Consumer<String> warnings) {
        try {
            Masses.Result r = Masses.infer(fine);
            if (!r.guessed().isEmpty()) {
                warnings.accept("no GROMACS topology; masses guessed from atom names (residue/atom->element): " + String.join(", ", r.guessed()));
            }
            return fine.withMasses(r.masses());
        } catch (IllegalArgumentException e) {
            if (usesMass(spec)) {
                throw e;
            }
            warnings.accept(e.getMessage() + "; bead masses are unknown (the mapping uses no mass weights)");
            return fine;
        }
    }

    /** Whether any bead of the mapping is weighted by mass. */
    public static boolean usesMass(MappingSpec spec) {
        for (MoleculeSpec m : spec.molecules()) {
            for (BeadSpec b : m.beads()) {
                if (b.weights() instanceof Weights.Mass) {
                    return true;
                }
            }
        }
        return false;
    }
}
