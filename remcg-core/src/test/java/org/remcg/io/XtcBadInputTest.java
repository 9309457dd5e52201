package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertMessageContains;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged XTC files: the frames before the damage come out, then a {@link TrajectoryFormatException}
 * names the file, frame and byte offset; nothing else (no other exception, no hang, no huge
 * allocation) may happen.
 */
class XtcBadInputTest {

    @TempDir
    Path dir;

    /** What reading a file produced: the frames, then possibly an exception. */
    static final class Outcome {
        final List<Frame> frames = new ArrayList<>();
        TrajectoryFormatException error;
    }

    static Outcome read(Path file) throws Exception {
        Outcome out = new Outcome();
        try (XtcReader r = XtcReader.open(file)) {
            Frame f = new Frame();
            while (r.next(f)) {
                out.frames.add(f.copy());
            }
        } catch (TrajectoryFormatException e) {
            out.error = e;
        }
        return out;
    }

    private static byte[] water() throws Exception {
        return Files.readAllBytes(XtcReaderTest.resource("water.xtc"));
    }

    // ---------------------------------------------------------------------------------------

    @Test
    void wrongMagic() throws Exception {
        byte[] bytes = water();
        long[] offsets = XtcIndexTest.offsetsByHand(bytes);
        List<Frame> all = XtcReaderTest.readAll(XtcReaderTest.resource("water.xtc"));

        byte[] first = bytes.clone();
        ByteBuffer.wrap(first).putInt(0, 1996);
        Path p = dir.resolve("magic0.xtc");
        Files.write(p, first);
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> XtcReader.open(p));
        assertEquals(0, e.frame());
        assertEquals(0, e.offset());
        assertEquals(p, e.file());
        assertMessageContains(e, "bad magic 1996");
        assertTrue(e.getMessage().startsWith(p + ": frame 0 at byte 0: "), e.getMessage());

        for (int k : new int[] {1, 17, offsets.length - 1}) {
            byte[] b = bytes.clone();
            ByteBuffer.wrap(b).putInt((int) offsets[k], 0x12345678);
            Path q = dir.resolve("magic" + k + ".xtc");
            Files.write(q, b);
            // next() and skip() see the problem; the reader keeps reporting it; so does the index.
            IoTesting.assertFailsAtFrame(XtcReader::open, q, all, k, offsets[k], "bad magic " + 0x12345678, true);
            try (XtcReader r = XtcReader.open(q)) {
                for (int i = 0; i < k; i++) {
                    assertTrue(r.skip());
                }
                assertThrows(TrajectoryFormatException.class, r::skip);
                assertThrows(TrajectoryFormatException.class, () -> r.next(new Frame()), "failed skip() keeps failing next()");
            }
            TrajectoryFormatException ie = assertThrows(TrajectoryFormatException.class, () -> XtcIndex.build(q));
            assertEquals(offsets[k], ie.offset());
        }
    }

    /** Cuts the file at every byte of its last frame. */
    private void truncateEverywhere(String name, byte[] bytes) throws Exception {
        long[] offsets = XtcIndexTest.offsetsByHand(bytes);
        int last = offsets.length - 1;
        Path whole = dir.resolve(name + "-whole.xtc");
        Files.write(whole, bytes);
        List<Frame> all = XtcReaderTest.readAll(whole);
        Path p = dir.resolve(name + "-cut.xtc");
        for (int cut = (int) offsets[last]; cut < bytes.length; cut++) {
            Files.write(p, Arrays.copyOf(bytes, cut));
            if (cut == offsets[last]) {
                Outcome out = read(p);
                assertEquals(last, out.frames.size(), name + " cut at " + cut);
                assertEquals(null, out.error, "a cut between frames is a clean end");
                continue;
            }
            // next() and skip() (which does not decode) notice it
            IoTesting.assertFailsAtFrame(XtcReader::open, p, all, last, offsets[last], "", true);
        }
    }

    @Test
    void truncatedAtEveryByteOfTheLastFrame() throws Exception {
        truncateEverywhere("water", water());
        truncateEverywhere("first6", Files.readAllBytes(XtcReaderTest.resource("first6.xtc")));
        truncateEverywhere("ndec7", Files.readAllBytes(XtcReaderTest.resource("ndec7.xtc")));
        truncateEverywhere("water2023", XtcReaderTest.to2023(water(), false));
    }

    @Test
    void absurdAtomCountsFailFastWithoutAllocating() throws Exception {
        byte[] bytes = water();
        long[] offsets = XtcIndexTest.offsetsByHand(bytes);
        record Patch(String what, int frame, int magic, int atoms, int again) {
        }
        List<Patch> patches = List.of(
                new Patch("max int", 0, 1995, Integer.MAX_VALUE, Integer.MAX_VALUE),
                new Patch("max int later", 5, 1995, Integer.MAX_VALUE, Integer.MAX_VALUE),
                new Patch("max int, 2023", 0, 2023, Integer.MAX_VALUE, Integer.MAX_VALUE),
                new Patch("beyond 1995 limit", 0, 1995, XtcCodec.MAX_ATOMS_1995 + 1, XtcCodec.MAX_ATOMS_1995 + 1),
                new Patch("600M, 2023", 0, 2023, 600_000_000, 600_000_000),
                new Patch("more than the file holds", 3, 1995, 1_000_000, 1_000_000),
                new Patch("negative", 2, 1995, -663, -663),
                new Patch("zero", 0, 1995, 0, 0),
                new Patch("second count differs", 4, 1995, 663, 664),
                new Patch("count changes", 4, 1995, 664, 664),
                new Patch("few atoms", 4, 1995, 5, 5));
        long budget = 4L << 20; // the reader's own buffer is 256 kB
        boolean measured = ReaderFuzzer.allocated() >= 0;
        for (Patch patch : patches) {
            byte[] b = bytes.clone();
            ByteBuffer buf = ByteBuffer.wrap(b);
            int at = (int) offsets[patch.frame];
            buf.putInt(at, patch.magic);
            buf.putInt(at + 4, patch.atoms);
            buf.putInt(at + 52, patch.again);
            Path p = dir.resolve("atoms.xtc");
            Files.write(p, b);
            long before = ReaderFuzzer.allocated();
            long t0 = System.nanoTime();
            Outcome out = read(p);
            long took = System.nanoTime() - t0;
            long used = ReaderFuzzer.allocated() - before;
            assertTrue(out.error != null, patch.what);
            assertEquals(patch.frame, out.error.frame(), patch.what + ": " + out.error.getMessage());
            assertEquals(at, out.error.offset(), patch.what);
            assertEquals(patch.frame, out.frames.size(), patch.what);
            if (patch.frame == 0) {
                assertTrue(took < 1_000_000_000L, patch.what + " took " + took / 1e6 + " ms");
                if (measured) {
                    assertTrue(used < budget, patch.what + ": allocated " + used + " bytes");
                }
            }
        }
        Assumptions.assumeTrue(measured, "allocation not measurable on this JVM; atom counts were still rejected");
    }

    @Test
    void absurdByteCountsAndHeaderFields() throws Exception {
        byte[] bytes = water();
        long[] offsets = XtcIndexTest.offsetsByHand(bytes);
        int at = (int) offsets[2];
        record Field(String what, int offset, int value) {
        }
        List<Field> fields = List.of(
                new Field("byte count max int", 88, Integer.MAX_VALUE),
                new Field("byte count negative", 88, -4),
                new Field("byte count zero", 88, 0),
                new Field("byte count too big", 88, 10_000),
                new Field("precision zero", 56, 0),
                new Field("precision negative", 56, Float.floatToIntBits(-1000f)),
                new Field("precision NaN", 56, Float.floatToIntBits(Float.NaN)),
                new Field("precision infinite", 56, Float.floatToIntBits(Float.POSITIVE_INFINITY)),
                new Field("min above max", 60, Integer.MAX_VALUE),
                new Field("range too wide", 60, Integer.MIN_VALUE),
                new Field("width index too small", 84, 8),
                new Field("width index too large", 84, 73),
                new Field("box not triangular", 16 + 4, Float.floatToIntBits(1f)),
                new Field("box NaN", 16, Float.floatToIntBits(Float.NaN)),
                new Field("box negative", 16, Float.floatToIntBits(-2f)));
        for (Field field : fields) {
            byte[] b = bytes.clone();
            ByteBuffer.wrap(b).putInt(at + field.offset, field.value);
            Path p = dir.resolve("field.xtc");
            Files.write(p, b);
            Outcome out = read(p);
            assertTrue(out.error != null, field.what + " went unnoticed");
            assertEquals(2, out.error.frame(), field.what);
            assertEquals(at, out.error.offset(), field.what);
            assertEquals(2, out.frames.size(), field.what);
        }
        // A 2023 frame with a byte count of 2^62.
        byte[] b = XtcReaderTest.to2023(bytes, false);
        ByteBuffer.wrap(b).putLong(88, 1L << 62);
        Path p = dir.resolve("count2023.xtc");
        Files.write(p, b);
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> XtcReader.open(p));
        assertMessageContains(e, "impossible");
    }

    @Test
    void damagedCompressedData() throws Exception {
        byte[] bytes = water();
        long[] offsets = XtcIndexTest.offsetsByHand(bytes);
        // A shorter byte count: the decoder runs out of data; the next frame then starts mid-block.
        byte[] b = bytes.clone();
        ByteBuffer buf = ByteBuffer.wrap(b);
        int at = (int) offsets[1];
        buf.putInt(at + 88, buf.getInt(at + 88) - 400);
        Path p = dir.resolve("short.xtc");
        Files.write(p, b);
        Outcome out = read(p);
        assertEquals(1, out.frames.size());
        assertEquals(1, out.error.frame());
        assertEquals(at, out.error.offset());
        assertTrue(out.error.getMessage().contains("damaged compressed coordinates"), out.error.getMessage());
        // The index only reads headers: it still walks this frame, and fails on the next one.
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> XtcIndex.build(p));
        assertEquals(2, e.frame());
    }
}
