package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.remcg.mapping.MappingFile;
import org.remcg.io.Frame;
import org.remcg.io.Structure;
import org.remcg.io.Trajectories;
import org.remcg.io.TrajectoryReader;
import org.remcg.mapping.Mapper;
import org.remcg.system.Masses;
import org.remcg.system.Topology;

/**
 * The SPC/E example's two GROMACS trajectories (examples/spce-water, one run: aa.xtc every
 * 0.5 ps, aa.trr with forces every 2 ps) read and mapped with the example mapping: mapped forces
 * are the per-molecule sums of the atomic forces, beads sit at the molecules' centres of mass,
 * and our XTC decoding agrees with the full-precision TRR positions of the same steps to the
 * XTC's 0.001 nm grid. (XtcReaderTest compares the decoder bit for bit with GROMACS' own
 * decoding and with gmx dump on the test resources.)
 */
class SpceExampleTest {
    static final Path EX = Path.of("..", "examples", "spce-water");

    @Test
    void mappedForcesArePerMoleculeSumsOnTheExampleTrr() throws Exception {
        Structure s = Trajectories.readStructure(EX.resolve("conf.gro"));
        Topology fine = s.topology().withMasses(Masses.fromNames(s.topology(), null));
        Mapper m = Mapper.build(fine, MappingFile.read(Path.of("..", "examples", "mapping", "spce.yaml")));
        assertEquals(510, m.beads());
        double mo = fine.mass(0);
        double mh = fine.mass(1);
        Frame f = new Frame();
        Frame cg = new Frame();
        int frames = 0;
        int split = 0;
        double maxNet = 0;
        try (TrajectoryReader r = Trajectories.open(EX.resolve("aa.trr"), null)) {
            while (r.next(f)) {
                assertNotNull(f.f, "the TRR holds forces");
                m.map(f, cg);
                double l = f.box.lx();
                double[] net = new double[3];
                for (int w = 0; w < 510; w++) {
                    for (int k = 0; k < 3; k++) {
                        double sum = f.f[9 * w + k] + f.f[9 * w + 3 + k] + f.f[9 * w + 6 + k];
                        assertEquals(sum, cg.f[3 * w + k], 1e-12 * (1 + Math.abs(sum)), "frame " + f.index + " water " + w);
                        net[k] += cg.f[3 * w + k];
                        // centre of mass with the hydrogens taken to the oxygen's image
                        double o = f.x[9 * w + k];
                        double h1 = f.x[9 * w + 3 + k] - l * Math.rint((f.x[9 * w + 3 + k] - o) / l);
                        double h2 = f.x[9 * w + 6 + k] - l * Math.rint((f.x[9 * w + 6 + k] - o) / l);
                        if (h1 != f.x[9 * w + 3 + k] || h2 != f.x[9 * w + 6 + k]) {
                            split++;
                        }
                        double c = (mo * o + mh * h1 + mh * h2) / (mo + 2 * mh);
                        c -= l * Math.floor(c / l);
                        double d = Math.abs(c - cg.x[3 * w + k]);
                        assertTrue(d < 1e-9 || Math.abs(d - l) < 1e-9, "frame " + f.index + " water " + w + ": " + c + " vs " + cg.x[3 * w + k]);
                    }
                }
                // the mapped forces keep the total force (which GROMACS' PME leaves near zero)
                for (int k = 0; k < 3; k++) {
                    double atoms = 0;
                    for (int i = 0; i < 1530; i++) {
                        atoms += f.f[3 * i + k];
                    }
                    assertEquals(atoms, net[k], 1e-6 * (1 + Math.abs(atoms)));
                    maxNet = Math.max(maxNet, Math.abs(net[k]));
                }
                frames++;
            }
        }
        assertEquals(51, frames);
        // mdrun writes whole molecules to the TRR (the split case is MapperTest's)
        assertEquals(0, split);
        // forces on single atoms are of order 1e3 kJ/mol/nm; their total is small
        assertTrue(maxNet < 50, "net force " + maxNet);
    }

    @Test
    void xtcPositionsEqualTheTrrPositionsOfTheSameStepsToTheXtcGrid() throws Exception {
        Frame x = new Frame();
        Frame t = new Frame();
        int matched = 0;
        try (TrajectoryReader xtc = Trajectories.open(EX.resolve("aa.xtc"), null); TrajectoryReader trr = Trajectories.open(EX.resolve("aa.trr"), null)) {
            while (trr.next(t)) {
                do {
                    assertTrue(xtc.next(x), "XTC ends before step " + t.step);
                } while (x.step < t.step);
                assertEquals(t.step, x.step);
                assertEquals(t.time, x.time, 1e-9);
                for (int k = 0; k < 9; k++) {
                    assertEquals(t.box.matrix()[k], x.box.matrix()[k], 1e-6);
                }
                for (int i = 0; i < 3 * 1530; i++) {
                    // XTC stores round(x * 1000): half a grid step plus float rounding of ~3 nm values
                    assertEquals(t.x[i], x.x[i], 0.0005 + 1e-6, "step " + t.step + " coordinate " + i);
                }
                matched++;
            }
        }
        assertEquals(51, matched);
    }
}
