package org.remcg.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReaderFuzzer} on the text formats: GRO, PDB, XYZ, LAMMPS dump and LAMMPS data files. */
class TextFuzzTest {

    @TempDir
    Path dir;

    private static List<byte[]> resources(String... names) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String n : names) {
            out.add(Files.readAllBytes(GroFormatTest.resource(n)));
        }
        return out;
    }

    /** Reads the first frame with its names, as {@link Trajectories#readStructure} does. */
    private static ReaderFuzzer.Pass structure() {
        return (file, rnd) -> Trajectories.readStructure(file);
    }

    /** Opens a text reader with a buffer of the given size. */
    interface TextOpener {
        TrajectoryReader open(Path file, int bufferSize) throws Exception;
    }

    /**
     * Fuzzes the format of {@code name} from the given resources: reading in order with the default
     * buffer, next and skip mixed with a 16-byte buffer, and readStructure.
     */
    private void fuzzWithStructure(String name, TextOpener open, String... files) throws Exception {
        new ReaderFuzzer(name, resources(files), true, null).run(dir, 1, 1500, 300,
                ReaderFuzzer.sequential(file -> open.open(file, GroReader.Lines.DEFAULT_BUFFER)),
                ReaderFuzzer.mixed(file -> open.open(file, 16)),
                structure());
    }

    @Test
    void gro() throws Exception {
        fuzzWithStructure("fuzz.gro", GroReader::new, "gro/two_frames.gro", "gro/five_decimals.gro");
    }

    @Test
    void pdb() throws Exception {
        fuzzWithStructure("fuzz.pdb", PdbReader::new, "pdb/two_models.pdb");
    }

    @Test
    void xyz() throws Exception {
        fuzzWithStructure("fuzz.xyz", XyzReader::new, "xyz/extended.xyz", "xyz/plain.xyz");
    }

    @Test
    void lammpsDump() throws Exception {
        new ReaderFuzzer("fuzz.lammpstrj", resources("lammps/atom_scaled.lammpstrj", "lammps/custom_image.lammpstrj",
                "lammps/triclinic.lammpstrj", "lammps/generated/tri_xs.lammpstrj", "lammps/generated/lj_unsorted.lammpstrj"),
                true, null).run(dir, 1, 1500, 300,
                ReaderFuzzer.sequential(LammpsDumpReader::new),
                ReaderFuzzer.mixed(file -> new LammpsDumpReader(file, LammpsDumpReader.Units.METAL, 16)));
    }

    /** A data file in the style {@link LammpsDataWriter} writes: two chains with bonds, angles and dihedrals, a tilted box. */
    static final String CHAINS_DATA = """
            remcg fuzz base: two chains (units real)

            8 atoms
            2 atom types
            6 bonds
            1 bond types
            4 angles
            1 angle types
            2 dihedrals
            1 dihedral types

            0.0 30.0 xlo xhi
            0.0 31.0 ylo yhi
            0.0 32.0 zlo zhi
            1.5 -2.0 0.5 xy xz yz

            Masses

            1 15.035
            2 14.027

            Atoms # full

            1 1 1 0.0 1.0 2.0 3.0
            2 1 2 0.0 2.5 2.1 3.2
            3 1 2 0.0 4.0 2.2 3.4
            4 1 1 0.0 5.5 2.3 3.6
            5 2 1 0.0 10.0 12.0 13.0
            6 2 2 0.0 11.5 12.1 13.2
            7 2 2 0.0 13.0 12.2 13.4
            8 2 1 0.0 14.5 12.3 13.6

            Velocities

            1 0.001 0.002 0.003
            2 0.001 0.002 0.003
            3 0.001 0.002 0.003
            4 0.001 0.002 0.003
            5 0.001 0.002 0.003
            6 0.001 0.002 0.003
            7 0.001 0.002 0.003
            8 0.001 0.002 0.003

            Bonds

            1 1 1 2
            2 1 2 3
            3 1 3 4
            4 1 5 6
            5 1 6 7
            6 1 7 8

            Angles

            1 1 1 2 3
            2 1 2 3 4
            3 1 5 6 7
            4 1 6 7 8

            Dihedrals

            1 1 1 2 3 4
            2 1 5 6 7 8
            """;

    static ReaderFuzzer lammpsDataFuzzer() throws Exception {
        List<byte[]> bases = resources("lammps/lj.data");
        bases.add(CHAINS_DATA.getBytes(StandardCharsets.US_ASCII));
        return new ReaderFuzzer("fuzz.data", bases, true, null);
    }

    private static final ReaderFuzzer.Pass DATA = (file, rnd) -> LammpsDataReader.read(file);

    @Test
    void lammpsData() throws Exception {
        lammpsDataFuzzer().run(dir, 1, 1500, 300, DATA);
    }

    /**
     * Seeds that broke {@link LammpsDataReader} (each is also written out by hand below): 5, a byte
     * that is not UTF-8 (MalformedInputException); 690, a type number near 2^31 in Masses
     * (NegativeArraySizeException, and a huge array for smaller ones); 1161, a bond naming one atom
     * twice (IllegalArgumentException from the topology builder).
     */
    @Test
    void lammpsDataRegressions() throws Exception {
        ReaderFuzzer fuzzer = lammpsDataFuzzer();
        for (long seed : new long[] {5, 690, 1161}) {
            fuzzer.check(dir, seed, DATA);
        }
        // any byte may stand in the title and comments; a byte that is not a digit where a number belongs names its line
        Path latin = Files.write(dir.resolve("latin.data"), CHAINS_DATA.replace("two chains", "deux cha\u00eenes \u00ff")
                .getBytes(StandardCharsets.ISO_8859_1));
        org.junit.jupiter.api.Assertions.assertEquals(8, LammpsDataReader.read(latin).topology().size());
        assertRejected(CHAINS_DATA.replace("1 15.035", "1 15.\u00ff35"), "1 15.\u00ff35", "malformed row");
        assertRejected(CHAINS_DATA.replace("2 14.027", "2147483647 14.027"), null, "atom type 2 has no mass");
        assertRejected(CHAINS_DATA.replace("2 1 2 3\n", "2 1 2 2\n"), "2 1 2 2", "atom 2 appears twice in the row");
        assertRejected(CHAINS_DATA.replace("4 1 1 0.0 5.5", "4 1 -1 0.0 5.5"), null, "atom type -1 has no mass");
    }

    /**
     * The data file is rejected with a DataFormatException whose message contains {@code text}, at the
     * line {@code row} (the section's first row for a malformed row), or not tied to a line when null.
     */
    private void assertRejected(String content, String row, String text) throws Exception {
        Path p = Files.write(dir.resolve("case.data"), content.getBytes(StandardCharsets.ISO_8859_1));
        DataFormatException e = org.junit.jupiter.api.Assertions.assertThrows(DataFormatException.class, () -> LammpsDataReader.read(p));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains(text), e.getMessage());
        List<String> lines = List.of(content.split("\n", -1));
        long line = row == null ? 0 : text.equals("malformed row") ? lines.indexOf("Masses") + 3 : lines.indexOf(row) + 1;
        org.junit.jupiter.api.Assertions.assertEquals(line, Math.max(0, e.line()), e.getMessage());
    }
}
