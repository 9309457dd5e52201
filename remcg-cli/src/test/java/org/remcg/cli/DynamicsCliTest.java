package org.remcg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.dynamics.ModelSystems;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.remcg.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamicsCliTest {
    @TempDir
    Path dir;


    /**
     * simulate -> fit (exact drift) -> compare on the double well (D2/D1 = 16): drift.csv has the
     * documented columns, and b at y = 0.5 matches the quadrature b* within 4 of its error bars.
     */
    @Test
    void simulateFitCompare() throws Exception {
        Path traj = dir.resolve("dw.csv");
        CliRun s = run("dynamics", "simulate", "--system", "double-well:16", "--dt", "5e-4", "--steps", "1000000", "--stride", "20",
                "--seed", "5", "--out", traj.toString(), "--quiet");
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.readString(traj).startsWith("t,x1,x2,a1,a2\n"));
        Path out = dir.resolve("fit");
        CliRun f = run("drift", "fit", "--traj", traj.toString(), "--map", "x1", "--basis", "bspline:24:-2.5,2.5", "--diffusion", "1",
                "--out", out.toString(), "--quiet");
        assertEquals(0, f.code(), f.err());
        List<String> lines = Files.readAllLines(out.resolve("drift.csv"));
        assertEquals("y,b,b_err", lines.get(0));
        JsonNode j = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("bspline:24:-2.5,2.5", j.get("basis").asText());
        assertEquals(2.0, j.get("diffusion").get("mean_sigma").get(0).asDouble(), 1e-9);
        assertTrue(Files.size(out.resolve("drift.png")) > 1000);
        // interpolate drift.csv at y = 0.5
        double best = Double.NaN;
        double err = Double.NaN;
        double dist = Double.POSITIVE_INFINITY;
        for (String l : lines.subList(1, lines.size())) {
            String[] p = l.split(",");
            double y = Double.parseDouble(p[0]);
            if (Math.abs(y - 0.5) < dist) {
                dist = Math.abs(y - 0.5);
                best = Double.parseDouble(p[1]) - (ModelSystems.doubleWellOptimalDrift(y));
                err = Double.parseDouble(p[2]);
            }
        }
        assertTrue(Math.abs(best) < 4 * err + 1e-3, "b - b* = " + best + " +- " + err);
        CliRun c = run("dynamics", "compare", "--traj", traj.toString(), "--map", "x1", "--model", out.resolve("result.json").toString(),
                "--levels", "-1,1", "--out", dir.resolve("cmp").toString(), "--quiet");
        assertEquals(0, c.code(), c.err());
        JsonNode cj = new ObjectMapper().readTree(dir.resolve("cmp").resolve("compare.json").toFile());
        assertTrue(cj.get("fine").get("passages_a_to_b").asInt() > 10);
        assertTrue(cj.get("cg").get("passages_a_to_b").asInt() > 10);
    }

    /** Positions only (no drift columns), 2-D map: drift.csv columns and the curl fields are written. */
    @Test
    void positionsOnlyTwoDimensional() throws Exception {
        Path traj = dir.resolve("rot.csv");
        assertEquals(0, run("dynamics", "simulate", "--system", "rotating:1", "--dt", "2e-3", "--steps", "200000", "--stride", "5",
                "--no-drift", "--out", traj.toString(), "--quiet").code());
        Path out = dir.resolve("fit2");
        CliRun f = run("dynamics", "fit", "--traj", traj.toString(), "--map", "x1,x2", "--basis", "bspline:8:-2.5,2.5 x bspline:8:-6,6",
                "--estimate-diffusion", "--out", out.toString(), "--quiet");
        assertEquals(0, f.code(), f.err());
        assertEquals("y1,y2,b1,b2,b1_err,b2_err", Files.readAllLines(out.resolve("drift.csv")).get(0));
        JsonNode j = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertTrue(j.get("method").asText().startsWith("increments"));
        assertTrue(j.get("mean_curl").isNumber() && j.get("mean_curl_error").asDouble() > 0);
        // QV of y1 = x1 with sigma sigma^T = 2 I: Sigma_11 = 2 up to O(dt) and sampling (1e-2 relative)
        assertEquals(2.0, j.get("diffusion").get("mean_sigma").get(0).asDouble(), 0.1);
        CliRun c = run("dynamics", "compare", "--traj", traj.toString(), "--map", "x1,x2", "--model", out.resolve("result.json").toString(),
                "--out", dir.resolve("cmp2").toString(), "--quiet");
        assertEquals(0, c.code(), c.err());
        JsonNode cj = new ObjectMapper().readTree(dir.resolve("cmp2").resolve("compare.json").toFile());
        assertEquals(2, cj.get("components").size());
        // the stationary variance of y2 is 1 (exp(-V) marginal); fine and CG both within 25 %
        for (String who : new String[] {"fine", "cg"}) {
            assertEquals(1.0, cj.get("components").get(1).get(who).get("variance").asDouble(), 0.25, who);
        }
    }

    /** A user drift given as code: dX = -X dt + sqrt(2) dW (OU); loaded by name and integrated. */
    public static final class UserOu implements org.remcg.dynamics.Drift {
        @Override
        public void evaluate(double[] x, double[] a) {
            a[0] = -x[0];
        }
    }

    @Test
    void userDriftClass() throws Exception {
        Path traj = dir.resolve("ou.csv");
        CliRun r = run("dynamics", "simulate", "--drift-class", UserOu.class.getName(), "--dimension", "1", "--diffusion", "1",
                "--dt", "1e-2", "--steps", "200000", "--stride", "2", "--out", traj.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        org.remcg.dynamics.Trajectory t = org.remcg.dynamics.TrajectoryCsv.read(traj);
        double s2 = 0;
        for (double v : t.positions()) {
            s2 += v * v;
        }
        // stationary variance D/k = 1 (weak2 bias about 1e-4 at k h = 0.01); ~1000 correlation times: 5 % relative error
        assertEquals(1.0, s2 / t.frames(), 0.2);
        CliRun bad = run("dynamics", "simulate", "--drift-class", "no.such.Class", "--dimension", "1", "--diffusion", "1",
                "--dt", "1e-2", "--steps", "10", "--out", traj.toString());
        assertEquals(2, bad.code());
    }

    /** Angle map with a periodic Fourier basis: fit, then compare reloads the model with its period. */
    @Test
    void angleWithFourierBasisRoundTrips() throws Exception {
        Path traj = dir.resolve("ring.csv");
        assertEquals(0, run("dynamics", "simulate", "--system", "ring", "--dt", "5e-4", "--steps", "400000", "--stride", "20",
                "--out", traj.toString(), "--quiet").code());
        Path out = dir.resolve("ringfit");
        CliRun f = run("dynamics", "fit", "--traj", traj.toString(), "--map", "angle", "--basis", "fourier:8", "--diffusion", "1",
                "--out", out.toString(), "--quiet");
        assertEquals(0, f.code(), f.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals(2 * Math.PI, j.get("basis_ranges").get(0).get(1).asDouble() - j.get("basis_ranges").get(0).get(0).asDouble(), 1e-12);
        CliRun c = run("dynamics", "compare", "--traj", traj.toString(), "--map", "angle", "--model", out.resolve("result.json").toString(),
                "--levels", "-1.1,1.1", "--out", dir.resolve("cmp").toString(), "--quiet");
        assertEquals(0, c.code(), c.err());
    }

    @Test
    void badInputGivesExitCodeTwo() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "t,x1\n0,1\n0,2\n");
        CliRun r = run("dynamics", "fit", "--traj", bad.toString(), "--map", "x1", "--basis", "bspline:8", "--diffusion", "1",
                "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.csv:3: time step 0"), r.err());
        Path ok = dir.resolve("ok.csv");
        Files.writeString(ok, "t,x1,x2\n0,1,0\n1,0,0\n2,1,1\n");
        CliRun sing = run("dynamics", "fit", "--traj", ok.toString(), "--map", "radius", "--basis", "bspline:8", "--diffusion", "1",
                "--out", dir.resolve("o").toString());
        assertEquals(2, sing.code());
        assertTrue(sing.err().contains("frame 1") && sing.err().contains("singular"), sing.err());
        CliRun both = run("dynamics", "fit", "--traj", ok.toString(), "--map", "x1", "--basis", "bspline:8", "--diffusion", "1",
                "--estimate-diffusion", "--out", dir.resolve("o").toString());
        assertEquals(2, both.code());
        CliRun range = run("dynamics", "fit", "--traj", ok.toString(), "--map", "x1", "--basis", "bspline:8:5,6", "--diffusion", "1",
                "--out", dir.resolve("o").toString());
        assertEquals(2, range.code());
        assertTrue(range.err().contains("outside the basis range"), range.err());
    }
}
