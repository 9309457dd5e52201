package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged DCD files (fixed seeds): a reader delivers frames and then either ends or
 * throws {@link TrajectoryFormatException}. Any other exception or error, a large allocation or a
 * hang fails the test.
 */
class DcdFuzzTest {

    @TempDir
    Path dir;

    private static final long[] SPECIAL = {0, 1, -1, 4, 8, 48, 80, 84, 164, 800, 2400, 1 << 16, 1 << 28, 1 << 30, Integer.MAX_VALUE,
        Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 84L << 32};
    private static final double[] SPECIAL_DOUBLES = {0, -0.0, 1, -1, 0.5, 90, 180, 200, -30, 1e300, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e-300};

    private static final class Base {
        final byte[] bytes;
        final ByteOrder order;
        final int marker;
        final long header;
        final long frame;

        Base(byte[] bytes, ByteOrder order, int marker) throws Exception {
            this.bytes = bytes;
            this.order = order;
            this.marker = marker;
            Path tmp = Files.createTempFile("base", ".dcd");
            try {
                Files.write(tmp, bytes);
                try (DcdReader r = DcdReader.open(tmp)) {
                    header = r.headerSize();
                    frame = r.frameSize();
                }
            } finally {
                Files.delete(tmp);
            }
        }
    }

    @Test
    void damagedFilesGiveFramesOrFormatExceptions() throws Exception {
        DcdReaderTest.Dcd tri = DcdReaderTest.parse(DcdReaderTest.bytes("tri.mdtraj.dcd"));
        tri.coords.subList(3, tri.coords.size()).clear();
        tri.cells.subList(3, tri.cells.size()).clear();
        DcdReaderTest.Dcd small = DcdReaderTest.synthetic(5, 4, 3);
        DcdReaderTest.Dcd xplor = DcdReaderTest.synthetic(4, 3, 4);
        xplor.icntrl[19] = 0;
        xplor.cells.clear();
        xplor.xplorDelta = 0.001;
        DcdReaderTest.Dcd four = DcdReaderTest.synthetic(3, 3, 5);
        four.icntrl[11] = 1;
        for (int f = 0; f < 3; f++) {
            float[][] c = four.coords.get(f);
            four.coords.set(f, new float[][] {c[0], c[1], c[2], c[0]});
        }
        List<Base> bases = List.of(
                new Base(DcdReaderTest.write(tri, ByteOrder.LITTLE_ENDIAN, 4), ByteOrder.LITTLE_ENDIAN, 4),
                new Base(DcdReaderTest.write(small, ByteOrder.BIG_ENDIAN, 4), ByteOrder.BIG_ENDIAN, 4),
                new Base(DcdReaderTest.write(small, ByteOrder.LITTLE_ENDIAN, 8), ByteOrder.LITTLE_ENDIAN, 8),
                new Base(DcdReaderTest.write(xplor, ByteOrder.BIG_ENDIAN, 8), ByteOrder.BIG_ENDIAN, 8),
                new Base(DcdReaderTest.write(four, ByteOrder.LITTLE_ENDIAN, 4), ByteOrder.LITTLE_ENDIAN, 4));
        List<String> failures = new ArrayList<>();
        int[] counts = new int[3];
        assertTimeoutPreemptively(Duration.ofSeconds(300), () -> {
            for (int b = 0; b < bases.size(); b++) {
                Base base = bases.get(b);
                for (int v = 0; v < 1000; v++) {
                    long seed = 7919L * b + v;
                    Random rnd = new Random(seed);
                    int kind = rnd.nextInt(10);
                    byte[] bytes = mutate(base, kind, rnd);
                    try {
                        exercise(bytes, counts);
                    } catch (Throwable t) {
                        failures.add("base " + b + " variant " + v + " (kind " + kind + ", " + bytes.length + " bytes): " + t);
                        if (failures.size() > 20) {
                            break;
                        }
                    }
                }
            }
        });
        if (!failures.isEmpty()) {
            fail(failures.size() + " damaged files broke the reader:\n" + String.join("\n", failures));
        }
        assertTrue(counts[1] > 1000, "most variants are broken: " + Arrays.toString(counts));
        assertTrue(counts[0] > 50, "some variants still read cleanly: " + Arrays.toString(counts));
    }

    private static byte[] mutate(Base base, int kind, Random rnd) {
        byte[] b = base.bytes.clone();
        ByteBuffer w = ByteBuffer.wrap(b).order(base.order);
        int frames = (int) ((b.length - base.header) / base.frame);
        switch (kind) {
            case 0 -> { // random bytes anywhere
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> { // random bytes in the header
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    b[rnd.nextInt((int) base.header)] = (byte) rnd.nextInt(256);
                }
            }
            case 2 -> { // a header integer (ICNTRL, title count, atom count) set to a special value
                int[] fields = new int[24];
                for (int k = 0; k < 20; k++) {
                    fields[k] = base.marker + 4 + 4 * k;
                }
                fields[20] = base.marker + 84 + base.marker + base.marker; // NTITLE
                fields[21] = (int) base.header - base.marker - 4; // NATOM
                fields[22] = (int) base.header - base.marker; // its closing marker
                fields[23] = 0; // the first marker
                int at = fields[rnd.nextInt(fields.length)];
                w.putInt(at, (int) SPECIAL[rnd.nextInt(SPECIAL.length)]);
            }
            case 3 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
            case 4 -> { // garbage, sometimes with a valid first record
                b = new byte[rnd.nextInt(3000)];
                rnd.nextBytes(b);
                if (rnd.nextBoolean() && b.length > base.header) {
                    System.arraycopy(base.bytes, 0, b, 0, rnd.nextInt((int) base.header));
                }
            }
            case 5 -> { // garbage after the frames
                int extra = 1 + rnd.nextInt(3000);
                b = Arrays.copyOf(b, b.length + extra);
                for (int i = base.bytes.length; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            case 6 -> { // a range deleted
                int from = rnd.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + rnd.nextInt(300));
                byte[] c = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, c, 0, from);
                System.arraycopy(b, to, c, from, b.length - to);
                b = c;
            }
            case 7 -> { // a range duplicated
                int from = rnd.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + rnd.nextInt(300));
                byte[] c = new byte[b.length + len];
                System.arraycopy(b, 0, c, 0, from + len);
                System.arraycopy(b, from, c, from + len, b.length - from);
                b = c;
            }
            case 8 -> { // a frame record marker set to a special value
                if (frames > 0) {
                    long at = base.header + rnd.nextInt(frames) * base.frame;
                    int records = (int) (base.frame / 8);
                    long p = at;
                    // walk to a random record of the frame
                    for (int k = rnd.nextInt(Math.max(1, records)); k > 0 && p < at + base.frame; k--) {
                        long len = base.marker == 4 ? w.getInt((int) p) : w.getLong((int) p);
                        p += len + 2L * base.marker;
                    }
                    if (p < b.length - base.marker) {
                        long v = SPECIAL[rnd.nextInt(SPECIAL.length)];
                        if (base.marker == 4) {
                            w.putInt((int) p, (int) v);
                        } else {
                            w.putLong((int) p, v);
                        }
                    }
                }
            }
            default -> { // unit cell values set to special doubles
                if (frames > 0 && b.length > base.header + 48 + 2L * base.marker) {
                    long at = base.header + rnd.nextInt(frames) * base.frame + base.marker;
                    for (int k = 0; k < 6; k++) {
                        if (rnd.nextInt(3) == 0) {
                            w.putDouble((int) at + 8 * k, SPECIAL_DOUBLES[rnd.nextInt(SPECIAL_DOUBLES.length)]);
                        }
                    }
                }
            }
        }
        return b;
    }

    private void exercise(byte[] bytes, int[] counts) throws IOException {
        Path p = dir.resolve("fuzz.dcd");
        Files.write(p, bytes);
        long budget = 8L * 1024 * 1024 + 16L * bytes.length;
        long before = TrrReaderTest.allocatedBytes();
        try (DcdReader r = DcdReader.open(p)) {
            Frame f = new Frame();
            int n = 0;
            while (r.next(f)) {
                n++;
                counts[2]++;
                if (n > 100_000) {
                    throw new AssertionError("endless frames");
                }
            }
            counts[0]++;
        } catch (TrajectoryFormatException e) {
            counts[1]++;
            check(e, p);
        }
        try (DcdReader r = DcdReader.open(p, 256)) {
            Frame f = new Frame();
            for (int n = 0; n % 2 == 0 ? r.skip() : r.next(f); n++) {
                if (n > 100_000) {
                    throw new AssertionError("endless frames");
                }
            }
        } catch (TrajectoryFormatException e) {
            check(e, p);
        }
        try {
            DcdIndex index = DcdIndex.build(p);
            try (DcdReader r = index.openAt(index.frames() / 2)) {
                Frame f = new Frame();
                while (r.next(f)) {
                    // just read
                }
            }
        } catch (TrajectoryFormatException e) {
            check(e, p);
        }
        long used = TrrReaderTest.allocatedBytes() - before;
        if (used > budget) {
            throw new AssertionError("allocated " + used + " bytes for a file of " + bytes.length);
        }
    }

    private static void check(TrajectoryFormatException e, Path p) {
        if (!e.getMessage().startsWith(p.toString()) || e.file() == null) {
            throw new AssertionError("message does not name the file: " + e.getMessage());
        }
    }
}
