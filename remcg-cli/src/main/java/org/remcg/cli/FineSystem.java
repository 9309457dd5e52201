package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.remcg.mapping.MappingFile;
import org.remcg.io.DataFormatException;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.mapping.AtomTopology;
import org.remcg.mapping.Mapper;
import org.remcg.mapping.MappingSpec;
import org.remcg.system.CgTopology;
import org.remcg.system.GromacsTopology;
import org.remcg.system.Molecules;
import org.remcg.system.Topology;

/**
 * The system the structure commands ({@code rdf}, {@code dist}) work on: the fine topology from a
 * structure (plus a GROMACS topology for masses and molecules), and either a mapper to beads or,
 * without a mapping, the atoms themselves typed by atom name.
 */
record FineSystem(Topology fine, Molecules molecules, Mapper mapper, CgTopology particles) {

    /**
     * @param mapping mapping YAML or null (atoms typed by name; masses are then not needed)
     */
    static FineSystem load(Path top, Path topology, List<String> defines, Path mapping, PrintWriter warn)
            throws IOException, DataFormatException, TrajectoryFormatException {
        MappingSpec spec = mapping == null ? null : MappingFile.read(mapping);
        Topology fine = Trajectories.readStructure(top).topology();
        Molecules molecules = null;
        if (topology != null) {
            GromacsTopology gt = GromacsTopology.read(topology, GromacsTopology.defaultIncludePath(), Set.copyOf(defines));
            fine = gt.apply(fine, top);
            molecules = gt.layout();
        } else if (spec != null) {
            fine = MapCommand.inferMasses(fine, spec, warn);
        }
        if (spec == null) {
            return new FineSystem(fine, molecules, null, AtomTopology.byAtomName(fine, molecules));
        }
        Mapper mapper;
        try {
            mapper = Mapper.build(fine, molecules, spec);
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(mapping + ": " + e.getMessage());
        }
        return new FineSystem(fine, molecules, mapper, mapper.cgTopology());
    }
}
