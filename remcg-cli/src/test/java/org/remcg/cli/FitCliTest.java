package org.remcg.cli;

import static org.remcg.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remcg fit} end to end on a small system: 216 water-like beads (1.9 nm box, the
 * density of water, 0.8 nm cutoff) fitted to the centre-of-mass g(r) of the SPC/E example as a target file;
 * bad input; and a run killed mid-way (a separate JVM, SIGKILL) then resumed, which must end
 * with exactly the parameters of an uninterrupted run.
 */
class FitCliTest {
    @TempDir
    Path dir;

    static final Path RDF = Path.of("..", "examples", "spce-water", "reference", "rdf-com.xvg").toAbsolutePath().normalize();


    /** 216 beads named W on a 6 x 6 x 6 lattice in a 1.9 nm box. */
    Path configuration() throws Exception {
        StringBuilder sb = new StringBuilder("lattice of W beads\n216\n");
        double a = 1.9 / 6;
        int k = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                for (int l = 0; l < 6; l++) {
                    k++;
                    sb.append(String.format(Locale.ROOT, "%5d%-5s%5s%5d%8.3f%8.3f%8.3f%n", k, "W", "W", k, (i + 0.5) * a, (j + 0.5) * a, (l + 0.5) * a));
                }
            }
        }
        sb.append("   1.90000   1.90000   1.90000\n");
        Path p = dir.resolve("start.gro");
        Files.writeString(p, sb.toString());
        return p;
    }

    /** Live worker threads of engines in this JVM. */
    static long engineWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("remcg-engine-")).count();
    }

    /**
     * A fit that ran to its end: exit 0 when history.csv says converged, otherwise exit 3 with a NOT CONVERGED
     * statement naming every interaction.
     */
    static void assertFinished(CliRun r, Path out) throws Exception {
        String history = Files.readString(out.resolve("history.csv"));
        if (history.contains("converged:")) {
            assertEquals(0, r.code(), r.err());
        } else {
            assertEquals(3, r.code(), "a fit that stops at its budget exits with 3: " + r.err());
            assertTrue(r.err().contains("NOT CONVERGED") && r.err().contains("pair W-W"), r.err());
        }
    }

    /** The small fit's configuration ({@link #config(String, String, String)}) in {@code dir}, its text changed by {@code edit}. */
    static Path config(Path dir, String name, String out, String extra, java.util.function.UnaryOperator<String> edit) throws Exception {
        FitCliTest cli = new FitCliTest();
        cli.dir = dir;
        Path p = cli.config(name, out, extra);
        Files.writeString(p, edit.apply(Files.readString(p)));
        return p;
    }

    Path config(String name, String out, String extra) throws Exception {
        Path conf = configuration();
        String text = "temperature: 300\n"
                + "system: {configuration: " + conf.getFileName() + ", masses: {W: 18.015}}\n"
                + "interactions:\n"
                + "  - {type: pair, beads: [W, W], cutoff: 0.8, target: " + RDF + ",\n"
                + "     basis: {kind: bspline, knots: 28, min: 0.0, max: 0.8}}\n"
                + "engine: {dt: 0.004, friction: 5.0, steps: 2000, equilibrate: 500, sample_every: 10, seed: 3, threads: 2}\n"
                + "optimizer: {max_iterations: 4}\n"
                + "output: {dir: " + out + "}\n" + extra;
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void badInputIsAOneLineErrorWithExitCode2() throws Exception {
        Path bad = config("bad.yaml", "o1", "engine_typo: 1\n");
        CliRun r = run("fit", bad.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unknown key 'engine_typo'") && r.err().contains("bad.yaml"), r.err());
        Path cut = config("cut.yaml", "o2", "");
        Files.writeString(cut, Files.readString(cut).replace("cutoff: 0.8", "cutoff: 1.2").replace("max: 0.8", "max: 1.2"));
        r = run("fit", cut.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("longer than half the box"), r.err());
        Path type = config("type.yaml", "o3", "");
        Files.writeString(type, Files.readString(type).replace("beads: [W, W]", "beads: [W, X]"));
        r = run("fit", type.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("bead type X"), r.err());
        Path missing = config("missing.yaml", "o4", "");
        Files.writeString(missing, Files.readString(missing).replace(RDF.toString(), "nowhere.xvg"));
        r = run("fit", missing.toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("nowhere.xvg"), r.err());
        assertTrue(!Files.exists(dir.resolve("o1")) && !Files.exists(dir.resolve("o4")), "nothing written for bad input");
    }

    @Test
    void killedRunResumesToTheUninterruptedResult() throws Exception {
        Path whole = config("whole.yaml", "whole", "");
        long workersBefore = engineWorkers();
        CliRun r = run("fit", whole.toString());
        assertFinished(r, dir.resolve("whole"));
        // the fit's engine (two threads) is closed: its worker ends
        long deadline0 = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engineWorkers() > workersBefore && System.nanoTime() < deadline0) {
            Thread.sleep(10);
        }
        assertEquals(workersBefore, engineWorkers(), "engine worker threads left running after the fit");
        for (String f : List.of("model.yaml", "history.csv", "report.html", "distributions/pair_W-W.csv", "tables/lammps/pair.table",
                "tables/lammps/in.tables", "tables/gromacs/table_W_W.xvg", "plots/convergence.png")) {
            assertTrue(Files.size(dir.resolve("whole").resolve(f)) > 0, f);
        }
        // the fitted model runs in the engine as it is
        CliRun sim = run("simulate", "--model", dir.resolve("whole").resolve("model.yaml").toString(), "--conf", dir.resolve("start.gro").toString(),
                "--steps", "200", "--out", dir.resolve("sim").toString());
        assertEquals(0, sim.code(), sim.err());
        // the same run in its own JVM, killed once its checkpoint shows two simulations
        Path killed = config("killed.yaml", "killed", "");
        Files.writeString(killed, Files.readString(whole).replace("dir: whole", "dir: killed"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "fit", killed.toString(), "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path cp = dir.resolve("killed").resolve("checkpoint.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(cp) && Files.readString(cp).contains("\"simulations\":2")) {
                break;
            }
            Thread.sleep(50);
        }
        boolean killedMidway = p.isAlive();
        p.destroyForcibly().waitFor();
        assertTrue(killedMidway, "the child finished before it could be killed: " + Files.readString(dir.resolve("child.log")));
        assertTrue(!Files.exists(dir.resolve("killed").resolve("model.yaml")), "no final outputs from a killed run");
        CliRun again = run("fit", killed.toString(), "--quiet");
        assertEquals(2, again.code(), "a second start without --resume must refuse to overwrite: " + again.err());
        CliRun resumed = run("fit", killed.toString(), "--resume");
        assertFinished(resumed, dir.resolve("killed"));
        assertTrue(resumed.out().contains("resuming after"), resumed.out());
        assertEquals(Files.readString(dir.resolve("whole").resolve("model.yaml")).replace("whole.yaml", "X"),
                Files.readString(dir.resolve("killed").resolve("model.yaml")).replace("killed.yaml", "X"));
        assertEquals(Files.readString(dir.resolve("whole").resolve("history.csv")), Files.readString(dir.resolve("killed").resolve("history.csv")));
        // --overwrite starts afresh over a finished run's checkpoint and, with the same seeds, ends where it did
        assertEquals(2, run("fit", whole.toString(), "--resume", "--overwrite").code());
        String model = Files.readString(dir.resolve("whole").resolve("model.yaml"));
        CliRun fresh = run("fit", whole.toString(), "--overwrite", "--quiet");
        assertFinished(fresh, dir.resolve("whole"));
        assertEquals(model, Files.readString(dir.resolve("whole").resolve("model.yaml")));
    }
}
