package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.model.ModelFile;

class SimulateCliTest {
    @TempDir
    Path dir;

    static int run(StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    /** This test's argon system, written into {@code dir}. */
    static SimulateCliTest in(Path dir) {
        SimulateCliTest s = new SimulateCliTest();
        s.dir = dir;
        return s;
    }

    /** A Lennard-Jones model of argon for {@link #startGro}, in {@code model.yaml}. */
    Path argonModel() throws Exception {
        return Files.writeString(dir.resolve("model.yaml"), """
                temperature: 119.8
                masses: {Ar: 39.948}
                interactions:
                  - {type: pair, beads: [Ar, Ar], cutoff: 0.85, potential: {kind: lj, epsilon: 0.996, sigma: 0.34}}
                """);
    }

    /** 216 LJ beads (argon-like) on a jittered lattice in a GRO file, reduced density 0.8. */
    Path startGro() throws Exception {
        int edge = 6;
        int n = edge * edge * edge;
        double l = Math.cbrt(n / (0.8 / Math.pow(0.34, 3)));
        StringBuilder sb = new StringBuilder("LJ start\n" + n + "\n");
        java.util.Random r = new java.util.Random(1);
        int k = 0;
        for (int i = 0; i < edge; i++) {
            for (int j = 0; j < edge; j++) {
                for (int m = 0; m < edge; m++) {
                    k++;
                    sb.append(String.format(Locale.ROOT, "%5d%-5s%5s%5d%8.3f%8.3f%8.3f%n", k, "AR", "Ar", k, (i + 0.5) * l / edge + 0.01 * r.nextGaussian(),
                            (j + 0.5) * l / edge, (m + 0.5) * l / edge));
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "%10.5f%10.5f%10.5f%n", l, l, l));
        Path p = dir.resolve("start.gro");
        Files.writeString(p, sb.toString());
        return p;
    }

    /**
     * A two-type mixture of one-bead molecules gets identity swaps under Langevin dynamics (reported with their
     * acceptance) and none under NVE, whose energy a swap would change.
     */
    @Test
    void swapsOnlyUnderLangevin() throws Exception {
        Path model = Files.writeString(dir.resolve("mix.yaml"), """
                temperature: 119.8
                masses: {Ar: 39.948, Kr: 83.8}
                interactions:
                  - {type: pair, beads: [Ar, Ar], cutoff: 0.85, potential: {kind: lj, epsilon: 0.996, sigma: 0.34}}
                  - {type: pair, beads: [Kr, Kr], cutoff: 0.85, potential: {kind: lj, epsilon: 1.2, sigma: 0.36}}
                  - {type: pair, beads: [Ar, Kr], cutoff: 0.85, potential: {kind: lj, epsilon: 1.0, sigma: 0.35}}
                """);
        // every other bead a krypton (atom name Kr, residue KR)
        List<String> gro = new java.util.ArrayList<>(Files.readAllLines(startGro()));
        for (int i = 2; i < gro.size() - 1; i += 2) {
            String l = gro.get(i);
            gro.set(i, l.substring(0, 5) + String.format(Locale.ROOT, "%-5s%5s", "KR", "Kr") + l.substring(15));
        }
        Path conf = Files.write(dir.resolve("mix.gro"), gro);
        for (String integrator : new String[] {"langevin", "nve"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"simulate", "--model", model.toString(), "--conf", conf.toString(), "--steps", "200", "--dt", "0.005",
                    "--integrator", integrator, "--threads", "1", "--out", dir.resolve("out-" + integrator).toString()},
                    new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            assertEquals(0, code, err.toString());
            // 200 steps, a sweep of 216 tries every 50 steps
            assertEquals(integrator.equals("langevin"), out.toString().contains("identity swaps: 864 tried"), integrator + ": " + out);
        }
    }

    @Test
    void simulatesAndWritesOutputs() throws Exception {
        Path model = argonModel();
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        int code = run(err, "simulate", "--model", model.toString(), "--conf", startGro().toString(), "--steps", "4000", "--equilibrate", "1000",
                "--dt", "0.01", "--sample-every", "20", "--threads", "1", "--out", out.toString(), "--quiet");
        assertEquals(0, code, err.toString());
        List<String> thermo = Files.readAllLines(out.resolve("thermo.csv"));
        assertEquals("step,potential,temperature,pressure", thermo.get(0));
        assertEquals(1 + 4000 / 20, thermo.size());
        assertTrue(thermo.get(1).startsWith("20,"), thermo.get(1));
        double tsum = 0;
        for (int i = 1; i < thermo.size(); i++) {
            tsum += Double.parseDouble(thermo.get(i).split(",")[2]);
        }
        // kinetic temperature of 216 particles: per-frame sd ~ T sqrt(2/648) = 6.7 K; 200 correlated frames -> mean within ~2 K
        assertEquals(119.8, tsum / (thermo.size() - 1), 4.0);
        List<String> rdf = Files.readAllLines(out.resolve("rdf.csv"));
        assertEquals("r,g_Ar-Ar", rdf.get(0));
        double peak = 0;
        for (int i = 1; i < rdf.size(); i++) {
            String[] f = rdf.get(i).split(",");
            if (f.length > 1) {
                peak = Math.max(peak, Double.parseDouble(f[1]));
            }
        }
        assertTrue(peak > 2.0 && peak < 4.0, "first RDF peak of the LJ liquid " + peak);
        assertTrue(Files.size(out.resolve("final.gro")) > 216 * 40);
        // the model file round-trips through the writer
        Path again = dir.resolve("again.yaml");
        ModelFile.write(again, ModelFile.read(model).forceField(), ModelFile.read(model).masses());
        assertEquals(ModelFile.read(model).forceField().interactions().get(0).potential().describe(),
                ModelFile.read(again).forceField().interactions().get(0).potential().describe());
    }

    /**
     * Off a terminal (a test's output is not one) simulate prints a line at each tenth of its steps, equilibration
     * included, between its header and its closing line; --quiet prints none, and the trajectory is the same.
     */
    @Test
    void progressLinesAtEachTenthOffATerminal() throws Exception {
        Path model = argonModel();
        Path start = startGro();
        for (String integrator : new String[] {"langevin", "mc"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String[] args = {"simulate", "--model", model.toString(), "--conf", start.toString(), "--steps", "300", "--equilibrate", "100",
                    "--dt", integrator.equals("mc") ? "0.02" : "0.01", "--sample-every", "10", "--threads", "1", "--integrator", integrator,
                    "--out", dir.resolve(integrator).toString()};
            assertEquals(0, Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
            List<String> lines = out.toString().lines().toList();
            List<String> progress = lines.stream().filter(l -> l.startsWith("simulate: ")).toList();
            assertEquals(9, progress.size(), out.toString());
            for (int t = 1; t <= 9; t++) {
                String l = progress.get(t - 1);
                assertTrue(l.matches("simulate: " + 10 * t + " % \\(" + 40 * t + " of 400 steps\\), \\d+ steps/s, .+ left"), l);
            }
            // after the header, before the closing line
            assertTrue(lines.get(0).contains("216 particles") && lines.get(1).equals(progress.get(0)), out.toString());
            assertTrue(lines.get(lines.size() - 1).startsWith("400 steps in "), out.toString());
            assertTrue(err.toString().isEmpty(), err.toString());

            StringWriter quietOut = new StringWriter();
            args[args.length - 1] = dir.resolve(integrator + "-quiet").toString();
            String[] quiet = java.util.Arrays.copyOf(args, args.length + 1);
            quiet[args.length] = "--quiet";
            assertEquals(0, Main.run(quiet, new PrintWriter(quietOut, true), new PrintWriter(err, true)), err.toString());
            assertEquals("", quietOut.toString());
            assertEquals(Files.readString(dir.resolve(integrator).resolve("thermo.csv")),
                    Files.readString(dir.resolve(integrator + "-quiet").resolve("thermo.csv")), integrator + ": the same run with and without progress");
        }
    }

    @Test
    void unknownKeyNamesKeyAndFile() throws Exception {
        Path model = dir.resolve("bad.yaml");
        Files.writeString(model, """
                temperature: 300
                interactions:
                  - {type: pair, beads: [W, W], cutof: 0.9, potential: {kind: lj, epsilon: 1, sigma: 0.3}}
                """);
        StringWriter err = new StringWriter();
        int code = run(err, "simulate", "--model", model.toString(), "--conf", startGro().toString(), "--out", dir.resolve("o").toString());
        assertEquals(Main.BAD_INPUT, code);
        assertTrue(err.toString().contains("bad.yaml") && err.toString().contains("'cutof'"), err.toString());
    }
}
