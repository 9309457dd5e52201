package org.remcg.mapping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.DataFormatException;
import org.remcg.mapping.BeadSpec;
import org.remcg.mapping.MappingSpec;
import org.remcg.mapping.MoleculeSpec;
import org.remcg.mapping.Weights;

class MappingFileTest {
    @TempDir
    Path dir;

    Path write(String text) throws Exception {
        Path p = dir.resolve("m.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsBeadsWeightsAndBondedTuples() throws Exception {
        MappingSpec s = MappingFile.read(write("""
                molecules:
                  PEP:
                    beads:
                      - {name: B1, type: P, atoms: [N, CA], weights: geometry}
                      - name: B2
                        atoms: [C, O]
                        weights: [1, 3.5]
                      - {name: B3, type: P, atoms: [CB]}
                    bonds: [[B1, B2], [B2, B3]]
                    angles: [[B1, B2, B3]]
                  SOL:
                    beads:
                      - {name: W, type: W, atoms: [OW, HW1, HW2], weights: mass}
                """));
        assertEquals(2, s.molecules().size());
        MoleculeSpec pep = s.molecules().get(0);
        assertEquals("PEP", pep.name());
        assertEquals(new BeadSpec("B1", "P", List.of("N", "CA"), Weights.GEOMETRY), pep.beads().get(0));
        // type defaults to the bead name, weights to mass
        assertEquals("B2", pep.beads().get(1).type());
        assertArrayEquals(new double[] {1, 3.5}, ((Weights.Explicit) pep.beads().get(1).weights()).values(), 0.0);
        assertEquals(Weights.MASS, pep.beads().get(2).weights());
        assertEquals(List.of(List.of("B1", "B2"), List.of("B2", "B3")), pep.bonds());
        assertEquals(List.of(List.of("B1", "B2", "B3")), pep.angles());
        assertEquals(List.of(), pep.dihedrals());
        assertEquals("SOL", s.molecules().get(1).name());
    }

    @Test
    void theBundledExampleParses() throws Exception {
        MappingSpec s = MappingFile.read(Path.of("..", "examples", "mapping", "spce.yaml"));
        assertEquals(List.of(new MoleculeSpec("SOL", List.of(new BeadSpec("W", "W", List.of("OW", "HW1", "HW2"), Weights.MASS)))), s.molecules());
    }

    @Test
    void errorsNameFileAndKey() throws Exception {
        String[][] cases = {
            {"molecule:\n  SOL: {}\n", "unknown key 'molecule'"},
            {"molecules:\n  SOL:\n    beads: []\n", "molecules.SOL.beads"},
            {"molecules:\n  SOL:\n    beads:\n      - {name: W, atoms: [OW]}\n    bond: []\n", "unknown key 'bond'"},
            {"molecules:\n  SOL:\n    beads:\n      - {name: W, atoms: [OW], weights: heavy}\n", "mass, geometry or a list"},
            {"molecules:\n  SOL:\n    beads:\n      - {name: W, atoms: [OW], weights: [1, x]}\n", "weights[1]"},
            {"molecules:\n  SOL:\n    beads:\n      - {name: W, atoms: [OW]}\n    angles: [[W, W]]\n", "molecule SOL: each of its angles lists 3"},
            {"molecules:\n  SOL:\n    beads:\n      - {name: W, atoms: [OW]}\n  SOL:\n    beads: []\n", "SOL"},
            {"molecules:\n  SOL:\n    beads:\n      - {atoms: [OW]}\n", "name: missing"},
            {"", "empty"},
        };
        for (String[] c : cases) {
            Path p = write(c[0]);
            DataFormatException e = assertThrows(DataFormatException.class, () -> MappingFile.read(p), c[0]);
            assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
