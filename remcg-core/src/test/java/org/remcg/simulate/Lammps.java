package org.remcg.simulate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.remcg.io.Frame;
import org.remcg.io.LammpsDumpReader;
import org.remcg.system.Box;

/**
 * Runs LAMMPS ({@code lmp}, units metal: Angstrom, eV, ps, bar) for the comparison tests and reads
 * back what it printed (the tests probe first that lmp works here: {@link org.remcg.testing.Peers#lammps()}).
 */
final class Lammps {
    /** kJ/mol per eV (exact SI values of e and N_A). */
    static final double EV = 96.48533212331002;

    private Lammps() {
    }

    /** Runs lmp on the input text in dir; fails with LAMMPS' output when it does not end normally. */
    static void run(Path dir, String input) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("in.lmp"), input);
        Process p = new ProcessBuilder("lmp", "-in", "in.lmp", "-log", "log.lammps").directory(dir.toFile())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            String log = Files.exists(dir.resolve("log.lammps")) ? Files.readString(dir.resolve("log.lammps")) : "";
            throw new IllegalStateException("lmp failed: " + new String(out, StandardCharsets.UTF_8) + "\n" + tail(log));
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    /** Columns of the numbers a {@code fix print} wrote, one row per line (lines starting with # skipped). */
    static double[][] columns(Path file, int ncol) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            double[] r = new double[ncol];
            for (int k = 0; k < ncol; k++) {
                r[k] = Double.parseDouble(f[k]);
            }
            rows.add(r);
        }
        double[][] c = new double[ncol][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int k = 0; k < ncol; k++) {
                c[k][i] = rows.get(i)[k];
            }
        }
        return c;
    }

    /** The frames of a dump file (positions in nm). */
    static List<double[]> dumpFrames(Path file, Box[] boxOut) throws IOException {
        List<double[]> frames = new ArrayList<>();
        try (LammpsDumpReader r = new LammpsDumpReader(file, LammpsDumpReader.Units.METAL)) {
            Frame f = new Frame();
            while (r.next(f)) {
                frames.add(f.x.clone());
                boxOut[0] = f.box;
            }
        } catch (org.remcg.io.TrajectoryFormatException e) {
            throw new IOException(e);
        }
        return frames;
    }
}
