package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * Thousands of damaged TRR files (fixed seeds): whatever the damage, a reader delivers frames and
 * then either ends or throws {@link TrajectoryFormatException}. Any other exception or error, a
 * large allocation, or a hang fails the test.
 */
class TrrFuzzTest {

    @TempDir
    Path dir;

    private static final int[] SPECIAL = {0, 1, -1, 2, 3, 4, 8, 9, 12, 13, 24, 36, 72, 1993, 1 << 16, 1 << 28, 1 << 30,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 8, 6336, 528, 12672};

    @Test
    void damagedFilesGiveFramesOrFormatExceptions() throws Exception {
        List<byte[]> bases = new ArrayList<>();
        byte[] water = Files.readAllBytes(TrrReaderTest.resource("water.trr"));
        bases.add(Arrays.copyOf(water, 3 * (84 + 36 + 3 * 528 * 12)));
        bases.add(Arrays.copyOf(Files.readAllBytes(TrrReaderTest.resource("water_d.trr")), 92 + 72 + 3 * 528 * 24));
        bases.add(TrrReaderTest.trr(false, TrrReaderTest.mixedFrames()));
        bases.add(TrrReaderTest.trr(true, TrrReaderTest.mixedFrames()));
        List<String> failures = new ArrayList<>();
        int[] counts = new int[3]; // clean ends, format exceptions, frames
        assertTimeoutPreemptively(Duration.ofSeconds(300), () -> {
            for (int b = 0; b < bases.size(); b++) {
                byte[] base = bases.get(b);
                List<Integer> headers = headers(base);
                int variants = b == 0 ? 800 : 1200;
                for (int v = 0; v < variants; v++) {
                    long seed = 1000L * b + v;
                    Random rnd = new Random(seed);
                    int kind = rnd.nextInt(10);
                    byte[] bytes = mutate(base, headers, kind, rnd);
                    String what = "base " + b + " variant " + v + " (kind " + kind + ", " + bytes.length + " bytes)";
                    try {
                        exercise(bytes, counts);
                    } catch (Throwable t) {
                        failures.add(what + ": " + t);
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

    /** Offsets of the frame headers of an intact file. */
    private static List<Integer> headers(byte[] base) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(base);
        int p = 0;
        while (p < base.length) {
            out.add(p);
            int natoms = b.getInt(p + 64);
            int r = 4;
            for (int k = 32; k <= 60; k += 4) {
                int size = b.getInt(p + k);
                if (size > 0) {
                    r = k <= 40 ? size / 9 : size / (3 * natoms);
                    break;
                }
            }
            long body = 0;
            for (int k = 32; k <= 60; k += 4) {
                body += b.getInt(p + k);
            }
            p += 76 + 2 * r + (int) body;
        }
        return out;
    }

    static byte[] mutate(byte[] base, List<Integer> headers, int kind, Random rnd) {
        byte[] b = base.clone();
        switch (kind) {
            case 0 -> { // a few random bytes anywhere
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> { // random bytes in a header
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    int h = headers.get(rnd.nextInt(headers.size()));
                    b[h + rnd.nextInt(92)] = (byte) rnd.nextInt(256);
                }
            }
            case 2 -> { // a header integer set to a special value
                int h = headers.get(rnd.nextInt(headers.size()));
                int field = rnd.nextInt(16); // magic, the two string lengths, then the 13 integers after the string
                int value = rnd.nextInt(4) == 0 ? rnd.nextInt() : SPECIAL[rnd.nextInt(SPECIAL.length)];
                ByteBuffer.wrap(b).putInt(h + (field < 3 ? 4 * field : 24 + 4 * (field - 3)), value);
            }
            case 3 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
            case 4 -> { // garbage
                b = new byte[rnd.nextInt(3000)];
                rnd.nextBytes(b);
            }
            case 5 -> { // garbage after the frames
                int extra = 1 + rnd.nextInt(2000);
                b = Arrays.copyOf(b, b.length + extra);
                for (int i = base.length; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            case 6 -> { // a range deleted
                int from = rnd.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + rnd.nextInt(200));
                byte[] c = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, c, 0, from);
                System.arraycopy(b, to, c, from, b.length - to);
                b = c;
            }
            case 7 -> { // a range duplicated
                int from = rnd.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + rnd.nextInt(200));
                byte[] c = new byte[b.length + len];
                System.arraycopy(b, 0, c, 0, from + len);
                System.arraycopy(b, from, c, from + len, b.length - from);
                b = c;
            }
            case 8 -> { // a valid-looking header start followed by random integers
                ByteBuffer g = ByteBuffer.allocate(rnd.nextInt(400) + 24);
                g.putInt(1993).putInt(13).putInt(12).put("GMX_trn_file".getBytes(StandardCharsets.US_ASCII));
                while (g.remaining() >= 4) {
                    g.putInt(rnd.nextBoolean() ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextInt(100));
                }
                b = g.array();
            }
            default -> { // a whole header field block of random special values
                int h = headers.get(rnd.nextInt(headers.size()));
                ByteBuffer w = ByteBuffer.wrap(b);
                for (int k = 0; k < 13; k++) {
                    if (rnd.nextInt(3) == 0) {
                        w.putInt(h + 24 + 4 * k, SPECIAL[rnd.nextInt(SPECIAL.length)]);
                    }
                }
            }
        }
        return b;
    }

    private void exercise(byte[] bytes, int[] counts) throws IOException {
        Path p = dir.resolve("fuzz.trr");
        Files.write(p, bytes);
        long budget = 8L * 1024 * 1024 + 16L * bytes.length;
        long before = TrrReaderTest.allocatedBytes();
        // sequential read
        try (TrrReader r = TrrReader.open(p)) {
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
        // small buffer, mixing skip and next
        try (TrrReader r = TrrReader.at(p, 0, 0, 0, 0, 256)) {
            Frame f = new Frame();
            for (int n = 0; n % 2 == 0 ? r.skip() : r.next(f); n++) {
                if (n > 100_000) {
                    throw new AssertionError("endless frames");
                }
            }
        } catch (TrajectoryFormatException e) {
            check(e, p);
        }
        // index, then a reader from the middle
        try {
            TrrIndex index = TrrIndex.build(p);
            try (TrrReader r = index.openAt(index.frames() / 2)) {
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
