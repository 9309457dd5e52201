package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad inputs of issue 5 that FitCliTest does not cover: each must stop {@code remcg fit} with
 * exit code 2 and a one-line message naming the file and the key or interaction, before any
 * simulation, leaving no output directory behind.
 */
class FitBadInputTest {
    @TempDir
    Path dir;

    static final Path HEX = FitCgTrajectoryTest.HEX;

    /** Runs the fit expecting exit code 2 and no output directory; returns the error text. */
    String refused(Path config) {
        CliRun r = CliRun.run("fit", config.toString(), "--quiet");
        assertEquals(2, r.code(), "exit code; stderr: " + r.err() + " stdout: " + r.out());
        assertTrue(r.err().startsWith("remcg: error: ") && r.err().strip().lines().count() == 1, "one line: " + r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing may be written for bad input");
        System.out.println(config.getFileName() + ": " + r.err().strip());
        return r.err();
    }

    Path water(String name, String extra, String from, String to) throws Exception {
        return FitCliTest.config(dir, name, dir.resolve("out").toString(), extra, t -> t.replace(from, to));
    }

    Path hexane(String name, String interactions, String reference) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "temperature: 300\nreference: {trajectory: " + HEX.resolve("aa.xtc") + ", topology: " + HEX.resolve("conf.gro")
                + ", gromacs_topology: " + HEX.resolve("topol.top") + ", mapping: " + HEX.resolve("mapping.yaml") + ", end: 10" + reference + "}\n"
                + "interactions:\n" + interactions + "output: {dir: " + dir.resolve("out") + "}\n");
        return p;
    }

    @Test
    void gromacsTopologyWithAMappedTrajectory() throws Exception {
        // a GROMACS topology describes the atoms of a fine trajectory: with cg_trajectory it would be silently unused
        Path p = hexane("cgtop.yaml", "  - {type: bond, beads: [A, B], basis: {knots: 10, min: 0.2, max: 0.3}}\n", "");
        Files.writeString(p, Files.readString(p).replace("{trajectory: ", "{cg_trajectory: "));
        String err = refused(p);
        assertTrue(err.contains("cgtop.yaml") && err.contains("reference.gromacs_topology") && err.contains("cg_trajectory"), err);
    }

    @Test
    void targetToleranceOutsideItsRange() throws Exception {
        String err = refused(water("tol0.yaml", "", "max_iterations: 4", "max_iterations: 4, target_tolerance: 0"));
        assertTrue(err.contains("tol0.yaml") && err.contains("optimizer.target_tolerance"), err);
        err = refused(water("tol20.yaml", "", "max_iterations: 4", "max_iterations: 4, target_tolerance: 20"));
        assertTrue(err.contains("tol20.yaml") && err.contains("optimizer.target_tolerance") && err.contains("at most 10"), err);
    }

    @Test
    void targetFileWithoutDataRows() throws Exception {
        Path empty = dir.resolve("empty.xvg");
        Files.writeString(empty, "# gmx rdf output, but the run wrote no data\n@ title \"g(r)\"\n\n");
        String err = refused(water("empty.yaml", "", FitCliTest.RDF.toString(), empty.toString()));
        assertTrue(err.contains("empty.xvg") && err.contains("no data rows"), err);
    }

    @Test
    void missingTrajectoryAndUnknownNestedKey() throws Exception {
        Path p = hexane("nowhere.yaml", "  - {type: bond, beads: [A, B], basis: {knots: 10, min: 0.2, max: 0.3}}\n", "");
        Files.writeString(p, Files.readString(p).replace(HEX.resolve("aa.xtc").toString(), dir.resolve("nowhere.xtc").toString()));
        String err = refused(p);
        assertTrue(err.contains("nowhere.yaml") && err.contains("reference.trajectory") && err.contains("nowhere.xtc"), err);
        Path key = water("key.yaml", "", "friction: 5.0", "frictoin: 5.0");
        err = refused(key);
        assertTrue(err.contains("key.yaml") && err.contains("engine.frictoin") && err.contains("unknown key"), err);
    }

    @Test
    void beadTypeTheMappingNeverProduces() throws Exception {
        String err = refused(hexane("types.yaml", "  - {type: pair, beads: [A, C], cutoff: 0.9, basis: {knots: 20}}\n", ""));
        assertTrue(err.contains("types.yaml") && err.contains("pair A-C") && err.contains("bead type C") && err.contains("A, B"), err);
        err = refused(hexane("angle.yaml", "  - {type: angle, beads: [B, A, B], basis: {knots: 20}}\n", ""));
        assertTrue(err.contains("angle.yaml") && err.contains("angle B-A-B") && err.contains("mapping"), err);
    }

    @Test
    void targetMassOutsideTheBasisRange() throws Exception {
        // g(r) of SPC/E water is above zero from 0.24 nm: a pair basis starting at 0.3 nm cannot carry it
        String err = refused(water("core.yaml", "", "min: 0.0", "min: 0.3"));
        assertTrue(err.contains("core.yaml") && err.contains("pair W-W") && err.contains("rdf-com.xvg") && err.contains("outside the basis range"), err);
        // hexane's A-B bonds (about 0.25 nm) measured on the reference, with a bond basis that ends at 0.24 nm
        err = refused(hexane("bond.yaml", "  - {type: bond, beads: [A, B], basis: {knots: 10, min: 0.20, max: 0.24}}\n", ""));
        assertTrue(err.contains("bond.yaml") && err.contains("bond A-B") && err.contains("measured on the reference")
                && err.contains("outside the basis range"), err);
    }
    @Test
    void targetThatStopsShortOfTheCutoff() throws Exception {
        // the g(r) cut at 0.29 nm, with a 0.8 nm cutoff: beyond 0.29 nm g is unknown, not zero
        Path cut = dir.resolve("cut.xvg");
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(FitCliTest.RDF)) {
            String t = line.strip();
            if (t.startsWith("#") || t.startsWith("@") || t.isEmpty() || Double.parseDouble(t.split("\\s+")[0]) <= 0.29) {
                sb.append(line).append('\n');
            }
        }
        Files.writeString(cut, sb);
        String err = refused(water("short.yaml", "", FitCliTest.RDF.toString(), cut.toString()));
        assertTrue(err.contains("short.yaml") && err.contains("pair W-W") && err.contains("before the cutoff") && err.contains("cut.xvg"), err);
    }

    @Test
    void bundledFileTargetCutShortOfItsCutoff() throws Exception {
        // issue 14: the bundled file-target example with its g(r) cut at 0.29 nm and its 0.9 nm cutoff was accepted
        // (exit 0, "max |target - model| = 2713.98"); beyond the last bin g is unknown, so it must be refused
        Path example = Path.of("..", "examples", "spce-water").toAbsolutePath().normalize();
        Path cut = dir.resolve("rdf-W-W-cut.csv");
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(example.resolve("targets").resolve("rdf-W-W.csv"))) {
            if (line.startsWith("r,") || Double.parseDouble(line.split(",")[0]) <= 0.29) {
                sb.append(line).append('\n');
            }
        }
        Files.writeString(cut, sb);
        Path p = dir.resolve("remcg-file.yaml");
        Files.writeString(p, Files.readString(example.resolve("remcg-file.yaml")).replace("targets/rdf-W-W.csv", cut.toString())
                .replace("targets/cg-start.gro", example.resolve("targets").resolve("cg-start.gro").toString())
                .replace("../../out/spce-water-file", dir.resolve("out").toString()));
        assertTrue(Files.readString(p).contains("cutoff: 0.9"));
        String err = refused(p);
        assertTrue(err.contains("remcg-file.yaml") && err.contains("rdf-W-W-cut.csv") && err.contains("before the cutoff") && err.contains("0.9"), err);
    }

    @Test
    void targetGridThatCannotBeReadAsBins() throws Exception {
        Path odd = dir.resolve("odd.xvg");
        StringBuilder sb = new StringBuilder("# r g, the spacing doubles at 0.5 nm\n");
        for (int i = 0; i <= 50; i++) {
            sb.append(String.format(java.util.Locale.ROOT, "%.3f %.4f%n", 0.01 * i, i < 25 ? 0.0 : 1.0));
        }
        for (int i = 1; i <= 25; i++) {
            sb.append(String.format(java.util.Locale.ROOT, "%.3f 1.0%n", 0.5 + 0.02 * i));
        }
        Files.writeString(odd, sb);
        String err = refused(water("odd.yaml", "", FitCliTest.RDF.toString(), odd.toString()));
        assertTrue(err.contains("odd.xvg:53") && err.contains("not uniform") && err.contains("bins: edges"), err);
        err = refused(water("binsKey.yaml", "", "target: ", "bins: middle, target: "));
        assertTrue(err.contains("binsKey.yaml") && err.contains("interactions[0].bins") && err.contains("centred"), err);
    }

    @Test
    void errorColumnThatIsNotThere() throws Exception {
        // the reference xvg has two columns: asking for errors in a third names the first line without one
        String err = refused(water("errcol.yaml", "", "target: ", "error_column: 3, target: "));
        assertTrue(err.contains("rdf-com.xvg:") && err.contains("column 3"), err);
        err = refused(water("errcol2.yaml", "", "target: ", "error_column: 2, target: "));
        assertTrue(err.contains("errcol2.yaml") && err.contains("interactions[0].error_column") && err.contains("between 3"), err);
    }
}
