package org.remcg.cli;

import static org.remcg.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.Frame;
import org.remcg.io.XtcReader;

/**
 * Issue 14, items 3-5: problems with the user's files, disk or options are the user's errors (exit
 * code 2, one line naming the user's path, no library wording, never our temporary files); size
 * options are bounded before any work; a killed {@code simulate --xtc-every} keeps a valid
 * trajectory; outputs get the permissions the umask allows.
 */
class UserErrorsTest {
    @TempDir
    Path dir;

    static final Path SPCE = Path.of("..", "examples", "spce-water").toAbsolutePath().normalize();
    static final Path HEX = Path.of("..", "examples", "hexane").toAbsolutePath().normalize();


    /** Exit code 2 and one error line (warnings aside) that names {@code path}; returns that line. */
    static String userError(CliRun r, Object path) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        List<String> errors = r.err().lines().filter(l -> !l.startsWith("remcg: warning:")).toList();
        assertEquals(1, errors.size(), "one line: " + r.err());
        String line = errors.get(0);
        assertTrue(line.startsWith("remcg: error: "), line);
        assertTrue(line.contains(path.toString()), "names " + path + ": " + line);
        for (String leak : List.of("internal error", ".tmp", "partial", "Exception", "REDACTED", "StreamReadFeature", "in 'reader'", "<block", "NaN")) {
            assertFalse(line.contains(leak), "'" + leak + "' in: " + line);
        }
        System.out.println(line);
        return line;
    }

    static List<String> hidden(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    Path model() throws Exception {
        return SimulateCliTest.in(dir).argonModel();
    }

    Path start() throws Exception {
        return SimulateCliTest.in(dir).startGro();
    }

    String[] map(String top, String traj, String out) {
        return new String[] {"map", "--top", top, "--traj", traj, "--mapping", SPCE.resolve("mapping.yaml").toString(), "--out", out, "--quiet"};
    }

    @Test
    void directoriesAndMissingFilesGivenAsInputs() throws Exception {
        Path gro = Files.createDirectory(dir.resolve("conf.gro"));
        Path xtc = Files.createDirectory(dir.resolve("aa.xtc"));
        String conf = SPCE.resolve("conf.gro").toString();
        String traj = SPCE.resolve("aa.xtc").toString();
        assertTrue(userError(run(map(gro.toString(), traj, dir.resolve("cg.xtc").toString())), gro).contains("directory"));
        assertTrue(userError(run(map(conf, xtc.toString(), dir.resolve("cg.xtc").toString())), xtc).contains("directory"));
        Path missing = dir.resolve("nowhere.yaml");
        assertTrue(userError(run("simulate", "--model", missing.toString(), "--conf", start().toString(), "--out", dir.resolve("s").toString()), missing)
                .contains("no such file"));
        Path missingConfig = dir.resolve("fit.yaml");
        assertTrue(userError(run("fit", missingConfig.toString()), missingConfig).contains("no such file"));
        assertFalse(Files.exists(dir.resolve("cg.xtc")) || Files.exists(dir.resolve("s")));
    }

    @Test
    void outputsThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("results"), "a file, not a directory\n");
        String m = model().toString();
        String conf = start().toString();
        // --out naming an existing file where a directory is written
        assertTrue(userError(run("simulate", "--model", m, "--conf", conf, "--steps", "10", "--out", file.toString()), file).contains("not a directory"));
        // a directory that cannot be made (a file is in the way): what permission denied looks like when the tests run as root
        Path under = file.resolve("run1");
        userError(run("simulate", "--model", m, "--conf", conf, "--steps", "10", "--out", under.toString()), under);
        // an output file that is a directory
        Path cg = Files.createDirectory(dir.resolve("cg.xtc"));
        assertTrue(userError(run(map(SPCE.resolve("conf.gro").toString(), SPCE.resolve("aa.xtc").toString(), cg.toString())), cg).contains("directory"));
        assertEquals(List.of(), hidden(dir));
    }

    @Test
    void permissionDenied() throws Exception {
        Path m = model();
        Files.setPosixFilePermissions(m, PosixFilePermissions.fromString("---------"));
        boolean applies = !Files.isReadable(m);
        Files.setPosixFilePermissions(m, PosixFilePermissions.fromString("rw-r--r--"));
        Assumptions.assumeTrue(applies, "skipped: running as root (uid 0), where file permissions are not enforced");
        String conf = start().toString();
        Files.setPosixFilePermissions(m, PosixFilePermissions.fromString("---------"));
        assertTrue(userError(run("simulate", "--model", m.toString(), "--conf", conf, "--out", dir.resolve("s").toString()), m).contains("permission denied"));
        Files.setPosixFilePermissions(m, PosixFilePermissions.fromString("rw-r--r--"));
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            String line = userError(run("simulate", "--model", m.toString(), "--conf", conf, "--steps", "10", "--out", locked.toString()), locked);
            assertTrue(line.contains("permission denied"), line);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void mapToAFormatItCannotWriteNamesTheUsersFile() throws Exception {
        Path out = dir.resolve("cg.dcd");
        String line = userError(run(map(SPCE.resolve("conf.gro").toString(), SPCE.resolve("aa.xtc").toString(), out.toString())), out);
        assertTrue(line.contains(".xtc") && line.contains(".gro"), "the formats that can be written: " + line);
        assertEquals(List.of(), hidden(dir));
    }

    @Test
    void simulateWritesItsTrajectoryIntoADirectoryItCreates() throws Exception {
        Path out = dir.resolve("new").resolve("run");
        CliRun r = run("simulate", "--model", model().toString(), "--conf", start().toString(), "--steps", "200", "--dt", "0.01", "--sample-every", "50",
                "--xtc-every", "100", "--threads", "1", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, frames(out.resolve("traj.xtc")).size());
        assertEquals(List.of(), hidden(out));
    }

    @Test
    void aFullDiskIsTheUsersErrorNamingTheFile() throws Exception {
        Path devFull = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(devFull), "needs /dev/full (Linux), where every write fails with 'No space left on device'");
        Path out = Files.createDirectory(dir.resolve("run"));
        Path traj = Files.createSymbolicLink(out.resolve("traj.xtc"), devFull);
        CliRun r = run("simulate", "--model", model().toString(), "--conf", start().toString(), "--steps", "200", "--dt", "0.01", "--sample-every", "50",
                "--xtc-every", "100", "--threads", "1", "--out", out.toString(), "--quiet");
        assertTrue(userError(r, traj).contains("no space left on device"));
        assertEquals(List.of(), hidden(out));
        Files.delete(traj);
    }

    @Test
    void syntaxErrorsAreOneLineInTheUsersWords() throws Exception {
        String[][] yaml = {
            {"list.yaml", "temperature: [300\n  x: {\n", ":2:"},
            {"indent.yaml", "temperature: 300\ninteractions:\n  - type: pair\n beads: [W, W]\n", ":4:"},
            {"tab.yaml", "temperature: 300\n\tinteractions: []\n", ":2:"},
            {"colon.yaml", "temperature: 300\n  engine: 1\n", ":2:"},
            {"twice.yaml", "temperature: 300\ntemperature: 310\n", ":2:"},
        };
        for (String[] c : yaml) {
            Path p = Files.writeString(dir.resolve(c[0]), c[1]);
            String line = userError(run("fit", p.toString()), p);
            assertTrue(line.contains(c[2]) && line.contains("not valid YAML"), line);
        }
        for (String text : List.of("{\"temperature\": 300,", "[1, 2", "{\"temperature\": x}")) {
            Path p = Files.writeString(dir.resolve("model.json"), text);
            String line = userError(run("simulate", "--model", p.toString(), "--conf", start().toString(), "--out", dir.resolve("s").toString()), p);
            assertTrue(line.contains("not valid JSON"), line);
        }
    }

    @Test
    void aMissingRequiredNumberIsSaidToBeMissing() throws Exception {
        Path fit = Files.writeString(dir.resolve("fit.yaml"), "system: {configuration: " + start() + ", masses: {Ar: 39.948}}\n"
                + "interactions:\n  - {type: pair, beads: [Ar, Ar], cutoff: 0.8, target: " + FitCliTest.RDF + ", basis: {knots: 20}}\n");
        String line = userError(run("fit", fit.toString()), fit);
        assertTrue(line.contains("temperature") && line.contains("missing"), line);
        Files.writeString(fit, "temperature: 300\n" + Files.readString(fit).replace("cutoff: 0.8, ", ""));
        line = userError(run("fit", fit.toString()), fit);
        assertTrue(line.contains("cutoff") && line.contains("missing"), line);
        Path m = model();
        Files.writeString(m, Files.readString(m).replace("temperature: 119.8\n", ""));
        line = userError(run("simulate", "--model", m.toString(), "--conf", start().toString(), "--out", dir.resolve("s").toString()), m);
        assertTrue(line.contains("temperature") && line.contains("missing"), line);
    }

    @Test
    void sizeOptionsAreBoundedBeforeAnyWork() throws Exception {
        String hexTop = HEX.resolve("conf.gro").toString();
        String hexTraj = HEX.resolve("aa.xtc").toString();
        String hexMap = HEX.resolve("mapping.yaml").toString();
        Path dist = dir.resolve("dist");
        for (String bins : List.of("2000000000", "100000000")) {
            String line = userError(run("dist", "--top", hexTop, "--traj", hexTraj, "--mapping", hexMap, "--bins", bins, "--out", dist.toString(), "--quiet"),
                    "--bins");
            assertTrue(line.contains(bins), line);
        }
        userError(run("dist", "--top", hexTop, "--traj", hexTraj, "--mapping", hexMap, "--angle-bins", "500000000", "--out", dist.toString()), "--angle-bins");
        userError(run("rdf", "--top", SPCE.resolve("conf.gro").toString(), "--traj", SPCE.resolve("aa.xtc").toString(), "--rmax", "1", "--bin", "1e-8", "--out",
                dir.resolve("rdf.csv").toString()), "--bin");
        // samples kept in memory: far more than any Java heap (the run would never end, or die out of memory at its end)
        userError(run("simulate", "--model", model().toString(), "--conf", start().toString(), "--steps", "100000000000000", "--sample-every", "1",
                "--out", dir.resolve("s").toString()), "--sample-every");
        // about 40 GB of frames, yet fewer than 2^31 numbers: refused for the heap, not by an array limit
        userError(run("dynamics", "simulate", "--system", "double-well", "--dt", "0.001", "--steps", "1000000000", "--out", dir.resolve("t.csv").toString()),
                "--stride");
        // a fit whose frames would fill the heap: 5e7 frames of 40 features (48 GB) is refused before any simulation
        Path fit = Files.writeString(dir.resolve("big.yaml"), "temperature: 300\nsystem: {configuration: " + start() + ", masses: {Ar: 39.948}}\n"
                + "interactions:\n  - {type: pair, beads: [Ar, Ar], cutoff: 0.8, target: " + FitCliTest.RDF + ", basis: {knots: 40}}\n"
                + "engine: {steps: 50000000, sample_every: 1}\noutput: {dir: " + dir.resolve("fitout") + "}\n");
        String line = userError(run("fit", fit.toString()), fit);
        assertTrue(line.contains("engine.steps") && line.contains("sample_every"), line);
        assertFalse(Files.exists(dist) || Files.exists(dir.resolve("s")) || Files.exists(dir.resolve("fitout")));
    }

    @Test
    void outputsAreReadableAsTheUmaskAllows() throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions needed");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
        Path out = dir.resolve("run");
        CliRun r = run("simulate", "--model", model().toString(), "--conf", start().toString(), "--steps", "200", "--dt", "0.01", "--sample-every", "50",
                "--xtc-every", "100", "--threads", "1", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("thermo.csv", "rdf.csv", "final.gro", "traj.xtc")) {
            assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f))), f + ": the mode of a plain new file");
        }
    }

    /**
     * A {@code simulate --xtc-every} in its own JVM, killed (SIGKILL) once its trajectory has grown:
     * the file holds whole frames, readable, and nothing else is left in the directory.
     */
    @Test
    void killedSimulateKeepsItsTrajectorySoFar() throws Exception {
        Path out = dir.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "simulate", "--model", model().toString(), "--conf", start().toString(),
                "--steps", "10000000", "--dt", "0.01", "--sample-every", "100", "--xtc-every", "100", "--threads", "1", "--out", out.toString(), "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path traj = out.resolve("traj.xtc");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        // 216 atoms compress to about 1 kB a frame: wait for several
        while (p.isAlive() && System.nanoTime() < deadline && !(Files.exists(traj) && Files.size(traj) > 8_000)) {
            Thread.sleep(50);
        }
        boolean alive = p.isAlive();
        p.destroyForcibly().waitFor();
        assertTrue(alive, "the child ended before it could be killed: " + Files.readString(dir.resolve("child.log")));
        assertTrue(Files.exists(traj) && Files.size(traj) > 8_000, "the trajectory written before the kill is kept; directory: " + list(out));
        List<Frame> frames = frames(traj);
        assertTrue(frames.size() >= 4, "frames: " + frames.size());
        for (int k = 0; k < frames.size(); k++) {
            assertEquals(216, frames.get(k).atoms);
            assertEquals(100L * (k + 1), frames.get(k).step);
        }
        assertEquals(List.of(), hidden(out), "no temporary file left behind");
        System.out.printf(Locale.ROOT, "killed simulate: %d whole frames, %d bytes%n", frames.size(), Files.size(traj));
    }

    static List<String> list(Path d) throws Exception {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    // core's XtcReaderTest reads a whole file alike; one helper for both would live in remcg-core/src/testFixtures
    static List<Frame> frames(Path xtc) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (XtcReader r = XtcReader.open(xtc)) {
            Frame f = new Frame();
            while (r.next(f)) {
                frames.add(f.copy());
            }
        }
        return frames;
    }
}
