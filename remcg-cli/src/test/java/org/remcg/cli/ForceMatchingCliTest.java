package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.model.CubicBSpline;

/**
 * {@code remcg fit} with {@code method: force-matching} on the SPC/E example (51 frames of
 * aa.trr with forces, one bead per water): the fitted pair potential must have its first minimum
 * at the first peak of the centre-of-mass g(r) (0.27-0.29 nm), and the run must leave the same
 * files as a REM fit. A trajectory without forces is a one-line error with exit code 2.
 */
class ForceMatchingCliTest {
    @TempDir
    Path dir;

    static final Path EX = Path.of("..", "examples", "spce-water").toAbsolutePath().normalize();

    Path config(String trajectory, String extra) throws Exception {
        String text = "temperature: 300\n"
                + "method: force-matching\n"
                + "reference:\n"
                + "  trajectory: " + EX.resolve(trajectory) + "\n"
                + "  topology: " + EX.resolve("conf.gro") + "\n"
                + "  gromacs_topology: " + EX.resolve("topol.top") + "\n"
                + "  mapping: " + EX.resolve("mapping.yaml") + "\n"
                + "interactions:\n"
                + "  - {type: pair, beads: [W, W], cutoff: 0.9, basis: {kind: bspline, knots: 40, min: 0.0, max: 0.9}}\n"
                + "engine: {dt: 0.004, friction: 5.0, steps: 400, equilibrate: 100, sample_every: 20, seed: 1, threads: 2}\n"
                + "output: {dir: out}\n" + extra;
        Path p = dir.resolve("fm.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void spceWaterPairPotentialHasItsFirstMinimumAtTheRdfPeak() throws Exception {
        CliRun r = CliRun.run("fit", config("aa.trr", "").toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("force matching: 51 frames"), r.out());
        Path out = dir.resolve("out");
        for (String f : new String[] {"model.yaml", "report.html", "force-matching.txt", "distributions/pair_W-W.csv",
                "tables/lammps/pair.table", "plots/pair_W-W-potential.png"}) {
            assertTrue(Files.exists(out.resolve(f)), f + " missing");
        }
        JsonNode model = new ObjectMapper(new YAMLFactory()).readTree(out.resolve("model.yaml").toFile());
        JsonNode p = model.get("interactions").get(0).get("potential");
        double[] c = new double[p.get("coefficients").size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = p.get("coefficients").get(k).asDouble();
        }
        CubicBSpline b = new CubicBSpline(c.length, p.get("min").asDouble(), p.get("max").asDouble());
        double[] w = new double[4];
        // first local minimum beyond the repulsive core (U falls below 10 kJ/mol first)
        double first = Double.NaN;
        double prev = Double.NaN;
        boolean falling = false;
        for (double x = 0.2; x < 0.9; x += 0.001) {
            double u = b.combine(c, x, w);
            if (!Double.isNaN(prev)) {
                if (u < prev) {
                    falling = true;
                } else if (falling && u > prev) {
                    first = x - 0.001;
                    break;
                }
            }
            prev = u;
        }
        // the com g(r) of SPC/E peaks at 0.274 nm (bin of the reference, examples/spce-water/reference)
        assertTrue(first > 0.27 && first < 0.29, "first minimum of the force-matched potential at " + first + " nm");
        assertEquals(0, b.combine(c, 0.9, w), 0, "the pair potential is zero at the cutoff");
    }

    @Test
    void aTrajectoryWithoutForcesIsAOneLineError() throws Exception {
        CliRun r = CliRun.run("fit", config("aa.xtc", "").toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("aa.xtc") && r.err().contains("has no forces") && r.err().contains("force-matching"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
