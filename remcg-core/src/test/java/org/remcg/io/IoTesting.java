package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.function.ObjIntConsumer;
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

    /** Writes {@code bytes} to {@code dir/name}. */
    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Opens a reader on a file. */
    interface Opener {
        TrajectoryReader open(Path file) throws IOException, TrajectoryFormatException;
    }

    /**
     * Writes {@code content} to {@code dir/name}, reads all its frames with the reader {@code open}
     * gives and returns the format error that this must raise.
     */
    static TrajectoryFormatException readFailure(Path dir, String name, String content, Opener open) throws IOException {
        Path p = write(dir, name, content);
        return assertThrows(TrajectoryFormatException.class, () -> {
            try (TrajectoryReader r = open.open(p)) {
                readAll(r);
            }
        });
    }

    /** The message of {@code e} contains {@code part}. */
    static void assertMessageContains(Throwable e, String part) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
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

    /** Copies of all frames of the reader {@code open} gives, closed again. */
    static List<Frame> readAll(Callable<? extends TrajectoryReader> open) throws Exception {
        try (TrajectoryReader r = open.call()) {
            return readAll(r);
        }
    }

    /**
     * {@code r} holds {@code atoms} atoms and reads its first frame: frame 0, at {@code time} (NaN:
     * the file gives none) and {@code step}; returns that frame.
     */
    static Frame firstFrame(TrajectoryReader r, int atoms, double time, long step) throws IOException, TrajectoryFormatException {
        assertEquals(atoms, r.atoms(), "atoms");
        Frame f = new Frame();
        assertNextFrame(r, f, 0, time, step);
        return f;
    }

    /** {@code r} reads its next frame into {@code f}: frame {@code index}, at {@code time} (NaN: none) and {@code step}. */
    static void assertNextFrame(TrajectoryReader r, Frame f, long index, double time, long step) throws IOException, TrajectoryFormatException {
        assertTrue(r.next(f), "frame " + index);
        assertEquals(index, f.index, "index");
        assertEquals(time, f.time, "time");
        assertEquals(step, f.step, "step");
    }

    /** The two boxes agree element by element within {@code tol}. */
    static void assertBox(Box expected, Box actual, double tol) {
        double[] a = expected.matrix();
        double[] b = actual.matrix();
        for (int k = 0; k < 9; k++) {
            assertEquals(a[k], b[k], tol, "box element " + k + " of " + actual);
        }
    }

    /** {@link #assertSameFrame(Frame, Frame, String)} without a place to name. */
    static void assertSameFrame(Frame expected, Frame actual) {
        assertSameFrame(expected, actual, "");
    }

    /**
     * The two frames are the same to the bit: atom count, index, step, time, box, precision and the
     * first 3 x atoms values of positions, velocities and forces (each null in both or in neither).
     */
    static void assertSameFrame(Frame expected, Frame actual, String where) {
        assertEquals(expected.atoms, actual.atoms, where);
        assertEquals(expected.index, actual.index, where);
        assertEquals(expected.step, actual.step, where);
        assertEquals(Double.doubleToLongBits(expected.time), Double.doubleToLongBits(actual.time), where);
        assertEquals(expected.box, actual.box, where);
        assertEquals(expected.precision, actual.precision, where);
        assertArrayEquals(head(expected.x, expected.atoms), head(actual.x, actual.atoms), where + ": positions");
        assertArrayEquals(head(expected.v, expected.atoms), head(actual.v, actual.atoms), where + ": velocities");
        assertArrayEquals(head(expected.f, expected.atoms), head(actual.f, actual.atoms), where + ": forces");
    }

    private static double[] head(double[] a, int atoms) {
        return a == null ? null : Arrays.copyOf(a, 3 * atoms);
    }

    /**
     * Reading the frames after the first allocates under 4 KiB in all, once warm (the third of three passes is
     * measured); the reader {@code open} gives holds {@code frames} frames after its first.
     */
    static void assertNoAllocationPerFrame(Callable<? extends TrajectoryReader> open, int frames) throws Exception {
        Frame f = new Frame();
        for (int pass = 0; pass < 3; pass++) {
            try (TrajectoryReader r = open.call()) {
                assertTrue(r.next(f));
                long before = allocatedBytes();
                int n = 0;
                while (r.next(f)) {
                    n++;
                }
                long used = allocatedBytes() - before;
                assertEquals(frames, n);
                if (pass == 2) {
                    assertTrue(used < 4096, "allocated " + used + " bytes for " + frames + " frames");
                }
            }
        }
    }

    /** Bytes this thread has allocated so far. */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * A reader that {@code open} gives on {@code p} delivers the first {@code n} frames, the same as
     * those of {@code all} (compared when {@code compare}), then fails at frame n, byte {@code offset}
     * of p, with a message containing {@code message}, and keeps failing with that exception; a fresh
     * reader skips n frames and fails on the next skip, at frame n.
     */
    static void assertFailsAtFrame(Opener open, Path p, List<Frame> all, int n, long offset, String message, boolean compare)
            throws IOException, TrajectoryFormatException {
        String where = p + " (" + Files.size(p) + " bytes)";
        try (TrajectoryReader r = open.open(p)) {
            TrajectoryFormatException e = assertNextFailsAt(r, compare ? all : null, n, offset, where);
            assertEquals(p, e.file());
            assertMessageContains(e, message);
            assertSame(e, assertThrows(TrajectoryFormatException.class, () -> r.next(new Frame())), "the reader stays failed");
        }
        try (TrajectoryReader r = open.open(p)) {
            for (int i = 0; i < n; i++) {
                assertTrue(r.skip(), where + ": skipping frame " + i);
            }
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, r::skip, where + ": skip() missed it");
            assertEquals(n, e.frame(), e.getMessage());
        }
    }

    /**
     * Goes through {@code r} frame by frame: {@code check} sees the reader before frame i, then frame i
     * is skipped when {@code skip} says so and otherwise read and compared with all.get(i); after
     * all.size() frames the reader is at its end.
     */
    static <R extends TrajectoryReader> void assertSkipsAndReads(R r, List<Frame> all, IntPredicate skip, ObjIntConsumer<R> check)
            throws IOException, TrajectoryFormatException {
        Frame f = new Frame();
        for (int i = 0; i < all.size(); i++) {
            check.accept(r, i);
            if (skip.test(i)) {
                assertTrue(r.skip(), "skipping frame " + i);
            } else {
                assertTrue(r.next(f), "reading frame " + i);
                assertSameFrame(all.get(i), f, "frame " + i + " after skips");
            }
        }
        assertFalse(r.skip());
        assertFalse(r.next(f));
    }

    /** Two successive frames of {@code r} with the same box share one Box object. */
    static void assertUnchangedBoxIsShared(TrajectoryReader r) throws IOException, TrajectoryFormatException {
        Frame f = new Frame();
        assertTrue(r.next(f));
        Box b = f.box;
        assertTrue(r.next(f));
        assertSame(b, f.box);
    }

    /** {@link #assertNextFailsAt(TrajectoryReader, List, int, long, String)} without comparing frames. */
    static TrajectoryFormatException assertNextFailsAt(TrajectoryReader r, int n, long offset) throws IOException, TrajectoryFormatException {
        return assertNextFailsAt(r, null, n, offset, r.file().toString());
    }

    /**
     * Reads {@code n} frames from {@code r} (each the same as that of {@code all}, unless that is null),
     * then the next read fails at frame n, byte {@code offset}; returns that failure.
     */
    static TrajectoryFormatException assertNextFailsAt(TrajectoryReader r, List<Frame> all, int n, long offset, String where)
            throws IOException, TrajectoryFormatException {
        Frame f = new Frame();
        for (int i = 0; i < n; i++) {
            assertTrue(r.next(f), where + ": frame " + i);
            if (all != null) {
                assertSameFrame(all.get(i), f, where + ": frame " + i);
            }
        }
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f), where);
        assertEquals(n, e.frame(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        return e;
    }

    /** The two lists hold the same number of frames, each the same to the bit ({@link #assertSameFrame}). */
    static void assertSameFrames(List<Frame> expected, List<Frame> actual) {
        assertEquals(expected.size(), actual.size(), "frames");
        for (int i = 0; i < actual.size(); i++) {
            assertSameFrame(expected.get(i), actual.get(i), "frame " + i);
        }
    }
}
