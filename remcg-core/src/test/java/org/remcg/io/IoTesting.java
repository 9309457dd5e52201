package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.remcg.system.Box;

/** Small helpers shared by the io tests (and {@link #run} by other packages' tests of what the peers read). */
public final class IoTesting {

    private IoTesting() {
    }

    /** Runs a command in {@code dir}, returns its combined output; fails the test on a non-zero exit. */
    public static String run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GMX_MAXBACKUP", "-1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process proc = pb.start();
        proc.getOutputStream().close();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, proc.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    /** The test resource at {@code path} (relative to the resources root, e.g. "xtc/water.xtc"). */
    static Path resource(String path) {
        URL url = IoTesting.class.getResource("/" + path);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + path);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lines of a gzipped ASCII file. */
    static BufferedReader gzipLines(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII));
    }

    /** Writes {@code content} as UTF-8 to {@code dir/name}. */
    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** Copies of all remaining frames of {@code r}. */
    static List<Frame> readAll(TrajectoryReader r) throws IOException, TrajectoryFormatException {
        List<Frame> frames = new ArrayList<>();
        Frame f = new Frame();
        while (r.next(f)) {
            frames.add(f.copy());
        }
        return frames;
    }

    /** The two boxes agree element by element within {@code tol}. */
    static void assertBox(Box expected, Box actual, double tol) {
        double[] a = expected.matrix();
        double[] b = actual.matrix();
        for (int k = 0; k < 9; k++) {
            assertEquals(a[k], b[k], tol, "box element " + k + " of " + actual);
        }
    }
}
