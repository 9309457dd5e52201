package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertMessageContains;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.remcg.system.Box;
import org.remcg.system.Topology;

/** PdbReader on hand-written files: two models with CRYST1, a bare single model, bad input. */
class PdbReaderTest extends FileTesting {

    // which reader reads broken content (FileTesting); the same one-line constructor in each text-reader test
    PdbReaderTest() {
        super("bad.pdb", PdbReader::new);
    }

    @Test
    void readsTwoModelsWithTheirCells() throws Exception {
        try (PdbReader r = new PdbReader(GroFormatTest.resource("pdb/two_models.pdb"))) {
            Frame f = IoTesting.firstFrame(r, 3, 2.0, 1000);
            assertEquals(3, f.atoms);
            assertArrayEquals(new double[] {1.1104, 0.6134, -0.6504, 1.1639, 0.6071, -0.5147, -0.1, 2.25, 10.0125},
                    Arrays.copyOf(f.x, 9), 1e-15);
            assertEquals(1e-4, f.precision, 1e-19);
            assertNull(f.v);
            // a = 3, b = 4, c = 5 nm, gamma = 120 degrees: b = (4 cos 120, 4 sin 120, 0)
            Box cell = f.box;
            assertFalse(cell.isOrthorhombic());
            IoTesting.assertBox(Box.triclinic(3.0, -2.0, 2 * Math.sqrt(3), 0, 0, 5.0), cell, 1e-12);
            assertEquals(Box.fromLengthsAndAngles(3.0, 4.0, 5.0, 90, 90, 120), cell);

            assertTrue(r.next(f));
            assertEquals(1, f.index);
            assertArrayEquals(new double[] {1.2104, 0.7134, -0.7504, 1.2639, 0.7071, -0.6147, -0.2, 2.35, 10.1125},
                    Arrays.copyOf(f.x, 9), 1e-15);
            assertEquals(Box.orthorhombic(3.1, 4.1, 5.1), f.box);
            assertFalse(r.next(f));
        }
    }

    @Test
    void readStructureGivesNamesAndResidues() throws Exception {
        Structure s = PdbReader.readStructure(GroFormatTest.resource("pdb/two_models.pdb"));
        Topology t = s.topology();
        assertEquals(3, t.atoms());
        assertEquals("N", t.atomName(0));
        assertEquals("CA", t.atomName(1));
        assertEquals("O", t.atomName(2));
        assertEquals("ALA", t.residueName(0));
        assertEquals("HOH", t.residueName(2));
        assertEquals(1, t.residueNumber(0));
        assertEquals(10001, t.residueNumber(2), "hybrid-36 A001");
        assertTrue(Double.isNaN(t.mass(1)));
        assertEquals(1.1104, s.frame().x[0], 1e-15);
    }

    /** Hybrid-36 numbers of four characters: upper case from 10000 on, lower case after ZZZZ; mixed case is no number. */
    @ParameterizedTest
    @CsvSource({"A000, 10000", "A00Z, 10035", "ZZZZ, 1223055", "a000, 1223056", "Ab00, -1"})
    void hybrid36(String text, int value) {
        assertEquals(value, PdbReader.hybrid36(text));
    }

    private static String atom(int serial, String name, String res, int seq, double x, double y, double z) {
        return String.format(java.util.Locale.ROOT, "ATOM  %5d %-4s %-4s %4d    %8.3f%8.3f%8.3f  1.00  0.00", serial, name, res, seq, x, y, z);
    }

    @Test
    void singleModelWithoutModelRecordsAndFramesSeparatedByEnd() throws Exception {
        String single = "REMARK no cell\n" + atom(1, " C1", "SOL", 1, 1, 2, 3) + "\n" + atom(2, " C2", "SOLV", 2, -4.5, 0, 10) + "\n";
        try (PdbReader r = new PdbReader(write("one.pdb", single))) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertNull(f.box);
            assertArrayEquals(new double[] {0.1, 0.2, 0.3, -0.45, 0, 1}, Arrays.copyOf(f.x, 6), 1e-15);
            assertTrue(Double.isNaN(f.time));
            assertFalse(r.next(f));
        }
        Structure s = PdbReader.readStructure(dir.resolve("one.pdb"));
        assertEquals("SOLV", s.topology().residueName(1), "four-character residue names survive");

        String frames = "CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1\n"
                + atom(1, " C1", "SOL", 1, 1, 2, 3) + "\nEND\n"
                + "CRYST1   20.000   20.000   20.000  90.00  90.00  90.00 P 1           1\n"
                + atom(1, " C1", "SOL", 1, 4, 5, 6) + "\nEND\n";
        try (PdbReader r = new PdbReader(write("end.pdb", frames))) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertNull(f.box, "a 1 x 1 x 1 cell is the placeholder for none");
            assertTrue(r.next(f));
            assertEquals(Box.orthorhombic(2, 2, 2), f.box);
            assertArrayEquals(new double[] {0.4, 0.5, 0.6}, Arrays.copyOf(f.x, 3), 1e-15);
            assertFalse(r.next(f));
        }
        try (PdbReader r = new PdbReader(write("skip.pdb", frames))) {
            assertTrue(r.skip());
            assertTrue(r.skip());
            assertFalse(r.skip());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Bad input
    // ------------------------------------------------------------------------------------------

    private static String twoModels() throws IOException {
        return Files.readString(GroFormatTest.resource("pdb/two_models.pdb"));
    }

    @Test
    void truncatedFinalModelDeliversTheFirst() throws Exception {
        String text = twoModels();
        String cut = text.substring(0, text.indexOf("ATOM      2  CA  ALA A   1      12.639"));
        try (PdbReader r = new PdbReader(write("cut.pdb", cut))) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertEquals(1, e.frame());
            assertTrue(e.getMessage().contains("frame 1: line 13 (end of file): the file ends inside the MODEL opened on line 11 after 1 atoms of 3"),
                    e.getMessage());
        }
    }

    @Test
    void modelsWithDifferentAtomCounts() throws Exception {
        String fewer = twoModels().replace("ATOM      2  CA  ALA A   1      12.639   7.071  -6.147  1.00  0.00           C\n", "");
        assertFailure(fewer, "frame 1: line 14: this model has 2 atoms, the first had 3");
        String more = twoModels().replace("ENDMDL\nEND", "ATOM      4  CB  ALA A   1      12.639   7.071  -6.147  1.00  0.00           C\nENDMDL\nEND");
        assertFailure(more, "line 15: this model has more atoms than the first (3)");
    }

    @Test
    // broken records of this format, each with its own message (FileTesting.assertFailure does the reading)
    void shortLinesAndNonNumbers() throws Exception {
        assertFailure(twoModels().replace("11.639   6.071  -5.147  1.00  0.00           C", "11.639   6.071"),
                "frame 0: line 6: ATOM/HETATM record too short: 46 columns");
        assertFailure(twoModels().replace("11.639   6.071  -5.147", "11.639   6.0a1  -5.147"),
                "frame 0: line 6: '6.0a1' is not a finite number (y, columns 39-46)");
        assertFailure(twoModels().replace("CRYST1   30.000", "CRYST1   3x.000"),
                "line 3: '3x.000' is not a finite number (CRYST1 a, columns 7-15)");
        // the residue number is only read for readStructure
        Path p = write("resnum.pdb", twoModels().replace("ALA A   1      11.104", "ALA A  x1      11.104"));
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> PdbReader.readStructure(p));
        assertMessageContains(e, "line 5: 'x1' is not an integer (residue number, columns 23-26)");
    }

    @Test
    void badRecordStructure() throws Exception {
        TrajectoryFormatException e = failure(twoModels().replaceFirst("ENDMDL\n", ""));
        assertTrue(e.getMessage().contains("line 10: MODEL inside the MODEL opened on line 4")
                || e.getMessage().contains("MODEL inside"), e.getMessage());
        assertFailure("REMARK nothing\nEND\n", "no atoms");
        assertFailure(twoModels().replace("ENDMDL\nEND", "END"), "END inside the MODEL opened on line 11");
    }
}
