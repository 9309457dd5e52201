package org.remcg.cli;

import static org.remcg.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.mapping.MappingFile;
import org.remcg.io.Frame;
import org.remcg.io.GroWriter;
import org.remcg.io.Structure;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryReader;
import org.remcg.mapping.Mapper;
import org.remcg.system.Topology;
import org.remcg.testing.Peers;

/** {@code remcg map} end to end on the SPC/E TRR test data, and its bad-input errors. */
class MapCliTest {
    @TempDir
    Path dir;

    static final Path TRR = Path.of("..", "remcg-core", "src", "test", "resources", "trr", "water.trr");
    static final Path EXAMPLE = Path.of("..", "examples", "mapping", "spce.yaml");

    Path gro;
    int atoms;


    /** A GRO structure for water.trr: its first frame with the SPC/E names OW HW1 HW2 per SOL residue. */
    @BeforeEach
    void structure() throws Exception {
        assertTrue(Files.exists(TRR), TRR.toAbsolutePath().toString());
        Frame f = new Frame();
        try (TrajectoryReader r = Trajectories.open(TRR, null)) {
            assertTrue(r.next(f));
            atoms = r.atoms();
        }
        int n = atoms / 3;
        String[] names = new String[atoms];
        String[] res = new String[atoms];
        int[] num = new int[atoms];
        for (int i = 0; i < atoms; i++) {
            names[i] = new String[] {"OW", "HW1", "HW2"}[i % 3];
            res[i] = "SOL";
            num[i] = i / 3 + 1;
        }
        gro = dir.resolve("conf.gro");
        try (GroWriter w = new GroWriter(gro, new Topology(names, res, num, null), "water", false)) {
            w.write(f);
        }
        assertEquals(528, atoms);
        assertEquals(176, n);
    }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void roundTripWritesMappedXtcAndConfiguration() throws Exception {
        Path out = dir.resolve("cg.xtc");
        Path conf = dir.resolve("cg.gro");
        CliRun r = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--mapping", EXAMPLE.toString(), "--out", out.toString(), "--out-conf",
                conf.toString(), "--begin", "2", "--stride", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mapped 176 SOL to 176 beads; nothing dropped"), r.out());
        assertTrue(r.out().contains("mapped 7 frames"), r.out());
        // masses were guessed from names: the warning lists them
        assertTrue(r.err().contains("SOL/OW->O") && r.err().contains("SOL/HW1->H"), r.err());

        // the same frames mapped directly (name-rule masses O 15.999, H 1.008), to XTC precision
        Structure s = Trajectories.readStructure(gro);
        Mapper m = Mapper.build(s.topology().withMasses(org.remcg.system.Masses.fromNames(s.topology(), null)), MappingFile.read(EXAMPLE));
        List<Frame> want = new ArrayList<>();
        try (TrajectoryReader all = Trajectories.open(TRR, null)) {
            Frame f = new Frame();
            Frame cg = new Frame();
            while (all.next(f)) {
                if (f.index >= 2 && (f.index - 2) % 3 == 0) {
                    m.map(f, cg);
                    want.add(cg.copy());
                }
            }
        }
        assertEquals(7, want.size());
        try (TrajectoryReader got = Trajectories.open(out, null)) {
            Frame f = new Frame();
            int k = 0;
            while (got.next(f)) {
                Frame w = want.get(k++);
                assertEquals(176, f.atoms);
                assertEquals(w.step, f.step);
                assertEquals(w.time, f.time, 1e-4);
                for (int i = 0; i < 3 * 176; i++) {
                    // XTC stores 0.001 nm integers: half a step plus float rounding
                    assertEquals(w.x[i], f.x[i], 0.0005 + 1e-6);
                }
            }
            assertEquals(7, k);
        }
        Structure c = Trajectories.readStructure(conf);
        assertEquals(176, c.topology().atoms());
        assertEquals("W", c.topology().atomName(0));
        assertEquals("SOL", c.topology().residueName(175));
        assertEquals(176, c.topology().residueNumber(175));
        Frame last = want.get(6);
        for (int i = 0; i < 3 * 176; i++) {
            assertEquals(last.x[i], c.frame().x[i], 0.0005 + 1e-6);
        }
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    @Test
    void topologyGivesMassesAndNoWarning() throws Exception {
        Peers.file("GROMACS", Path.of("/usr/share/gromacs/top/oplsaa.ff/spce.itp"));
        Path top = write("topol.top", "#include \"oplsaa.ff/forcefield.itp\"\n#include \"oplsaa.ff/spce.itp\"\n[ system ]\nw\n[ molecules ]\nSOL 176\n");
        Path out = dir.resolve("cg.gro");
        CliRun r = run("map", "--top", gro.toString(), "--topology", top.toString(), "--traj", TRR.toString(), "--mapping", EXAMPLE.toString(), "--out",
                out.toString(), "--end", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("mapped 1 frames"), r.out());
        Structure c = Trajectories.readStructure(out);
        assertEquals(176, c.topology().atoms());
        CliRun quiet = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--mapping", EXAMPLE.toString(), "--out",
                dir.resolve("q.xtc").toString(), "--quiet");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.out());
        assertEquals("", quiet.err());
    }

    @Test
    void badInputExitsWithTwoAndNamesTheProblem() throws Exception {
        Path badAtom = write("bad.yaml", "molecules:\n  SOL:\n    beads:\n      - {name: W, type: W, atoms: [OW, HW1, HW9]}\n");
        Path out = dir.resolve("cg.xtc");
        CliRun r = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--mapping", badAtom.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("HW9") && r.err().contains("bad.yaml"), r.err());
        assertFalse(Files.exists(out));

        Path unknownKey = write("key.yaml", "molecules:\n  SOL:\n    beads:\n      - {name: W, atoms: [OW], weigths: mass}\n");
        r = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--mapping", unknownKey.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("weigths") && r.err().contains("key.yaml"), r.err());

        Path badBond = write("bond.yaml", "molecules:\n  SOL:\n    beads:\n      - {name: W, atoms: [OW]}\n    bonds: [[W]]\n");
        r = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--mapping", badBond.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("molecule SOL") && r.err().contains("bonds"), r.err());

        Path syntax = write("syntax.yaml", "molecules:\n  SOL: [\n");
        r = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--mapping", syntax.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("syntax.yaml"), r.err());

        // a structure with fewer atoms than the trajectory: refused before any frame is read
        Path small = write("small.gro", "two\n    3\n    1SOL     OW    1   0.150   1.600   1.700\n    1SOL    HW1    2   0.250   1.650   1.750\n"
                + "    1SOL    HW2    3   0.125   1.575   1.625\n   1.80000   1.80000   1.80000\n");
        r = run("map", "--top", small.toString(), "--traj", TRR.toString(), "--mapping", EXAMPLE.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("528") && r.err().contains("small.gro"), r.err());
        assertFalse(Files.exists(out));

        r = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--format", "netcdf", "--mapping", EXAMPLE.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("netcdf"), r.err());

        r = run("map", "--top", gro.toString(), "--traj", TRR.toString(), "--mapping", EXAMPLE.toString(), "--out", out.toString(), "--begin", "100");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no frame selected"), r.err());
        assertFalse(Files.exists(out));
    }
}
