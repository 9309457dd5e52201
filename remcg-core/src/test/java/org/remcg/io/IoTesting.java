package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.zip.GZIPInputStream;
import org.remcg.system.Box;

/** Small helpers shared by the io tests. */
final class IoTesting {

    private IoTesting() {
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
