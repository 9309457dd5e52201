package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitProblem;
import org.remcg.system.CgTopology;

/**
 * {@code reference: cg_trajectory} with a mapping: the hexane example mapped once with
 * {@code remcg map} (cg.xyz, extended XYZ with 1e-9 nm precision, + cg.gro), then fitted from the
 * mapped frames with the same mapping for the bonded topology. The CG system (types, molecules,
 * bonds, angles, labels) must be the one of the fine trajectory + mapping, and the reference feature
 * means must agree to rounding: 1e-4 of their block standard errors. (With an XTC file, whose
 * 0.001 nm precision blurs bond lengths by a tenth of the bond basis' knot spacing, they differed by
 * up to half a standard error.)
 */
class FitCgTrajectoryTest {
    @TempDir
    Path dir;

    static final Path HEX = Path.of("..", "examples", "hexane").toAbsolutePath().normalize();

    static final String INTERACTIONS = """
            interactions:
              - {type: pair, beads: [A, B], cutoff: 0.9, basis: {kind: bspline, knots: 37, min: 0.0, max: 0.9}}
              - {type: bond, beads: [A, B], basis: {kind: bspline, knots: 24, min: 0.20, max: 0.30}}
              - {type: angle, beads: [A, B, A], basis: {kind: bspline, knots: 30, min: 1.4, max: 3.14159265358979}}
            engine: {threads: 2}
            """;

    static FitProblem setup(Path config) throws Exception {
        return FitProblem.build(FitConfig.read(config), line -> { }, warning -> { });
    }

    @Test
    void bondedFitFromAMappedTrajectoryMeasuresWhatTheFineOneDoes() throws Exception {
        CliRun map = CliRun.run("map", "--top", HEX.resolve("conf.gro").toString(), "--topology", HEX.resolve("topol.top").toString(),
                "--traj", HEX.resolve("aa.xtc").toString(), "--mapping", HEX.resolve("mapping.yaml").toString(), "--end", "40",
                "--out", dir.resolve("cg.xyz").toString(), "--out-conf", dir.resolve("cg.gro").toString(), "--quiet");
        assertEquals(0, map.code(), map.err());
        Path fine = dir.resolve("fine.yaml");
        Files.writeString(fine, "temperature: 300\nreference: {trajectory: " + HEX.resolve("aa.xtc") + ", topology: " + HEX.resolve("conf.gro")
                + ", gromacs_topology: " + HEX.resolve("topol.top") + ", mapping: " + HEX.resolve("mapping.yaml") + ", end: 40}\n" + INTERACTIONS);
        FitProblem a = setup(fine);
        CgTopology ta = a.topology();
        // the same data, already mapped; masses are not in a CG trajectory: given in system.masses
        assertEquals("A", ta.typeName(ta.type()[0]));
        assertEquals("B", ta.typeName(ta.type()[1]));
        double mA = ta.mass()[0];
        double mB = ta.mass()[1];
        String masses = String.format(Locale.ROOT, "system: {masses: {A: %.17g, B: %.17g}}%n", mA, mB);
        Path cg = dir.resolve("cg.yaml");
        Files.writeString(cg, "temperature: 300\nreference: {cg_trajectory: cg.xyz, topology: cg.gro, mapping: " + HEX.resolve("mapping.yaml") + "}\n"
                + masses + INTERACTIONS);
        FitProblem b = setup(cg);
        CgTopology tb = b.topology();
        // field by field, so that a failure names the field
        assertEquals(ta.size(), tb.size());
        assertArrayEquals(ta.typeNames(), tb.typeNames());
        assertArrayEquals(ta.type(), tb.type());
        assertArrayEquals(ta.molecule(), tb.molecule());
        assertArrayEquals(ta.mass(), tb.mass());
        assertArrayEquals(ta.bonds(), tb.bonds());
        assertArrayEquals(ta.bondLabels(), tb.bondLabels());
        assertArrayEquals(ta.angles(), tb.angles());
        assertArrayEquals(ta.angleLabels(), tb.angleLabels());
        assertEquals(240, tb.bondCount());
        assertEquals(120, tb.angleCount());
        assertEquals(40, a.referenceFrames());
        assertEquals(a.referenceFrames(), b.referenceFrames());
        // feature means: the same numbers up to the file's rounding
        double worst = 0;
        for (int k = 0; k < a.targetMean().length; k++) {
            double se = Math.sqrt(a.targetVariance()[k]);
            double d = Math.abs(a.targetMean()[k] - b.targetMean()[k]);
            if (se > 0) {
                worst = Math.max(worst, d / se);
            } else {
                assertEquals(a.targetMean()[k], b.targetMean()[k], 1e-9, "feature " + k + " without data");
            }
        }
        System.out.printf(Locale.ROOT, "cg_trajectory vs fine + mapping: largest feature-mean difference %.2e block standard errors%n", worst);
        assertTrue(worst < 1e-4, "feature means differ by " + worst + " standard errors");

        // without the mapping the CG structure's atom names (A1, B, A2) are the types, and there are no bonds: refused before any work
        Path bare = dir.resolve("bare.yaml");
        Files.writeString(bare, Files.readString(cg).replace(", mapping: " + HEX.resolve("mapping.yaml"), ""));
        CliRun r = CliRun.run("fit", bare.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("bead type A,") && r.err().contains("bare.yaml"), r.err());
        // bead names of the mapping that are not the CG structure's atom names: a clear error naming both files
        Path renamed = dir.resolve("renamed.yaml");
        Files.writeString(renamed, Files.readString(HEX.resolve("mapping.yaml")).replace("A2", "A3"));
        Path wrong = dir.resolve("wrong.yaml");
        Files.writeString(wrong, Files.readString(cg).replace(HEX.resolve("mapping.yaml").toString(), renamed.toString()));
        r = CliRun.run("fit", wrong.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cg.gro") && r.err().contains("renamed.yaml") && r.err().contains("A3"), r.err());
    }
}
