package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.system.Box;

/** {@link XtcIndex}: offsets of every frame, readers from any frame, and {@link XtcReader#skip()}. */
class XtcIndexTest {

    @TempDir
    Path dir;

    /** Frame offsets computed independently of the reader, from the XDR layout. */
    static long[] offsetsByHand(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        List<Long> offsets = new ArrayList<>();
        int p = 0;
        while (p < file.length) {
            offsets.add((long) p);
            int magic = b.getInt(p);
            int n = b.getInt(p + 4);
            if (n <= 9) {
                p += 56 + 12 * n;
            } else if (magic == 2023) {
                p += 96 + (int) ((b.getLong(p + 88) + 3) & ~3L);
            } else {
                p += 92 + ((b.getInt(p + 88) + 3) & ~3);
            }
        }
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    private void checkIndex(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        long[] expected = offsetsByHand(bytes);
        List<Frame> all = XtcReaderTest.readAll(file);
        XtcIndex index = XtcIndex.build(file);
        assertEquals(expected.length, index.frames(), file.toString());
        assertEquals(all.size(), index.frames());
        assertEquals(bytes.length, index.end());
        assertNull(index.problem());
        assertEquals(all.get(0).atoms, index.atoms());
        for (int i = 0; i < index.frames(); i++) {
            assertEquals(expected[i], index.offset(i), "offset of frame " + i);
            assertEquals(all.get(i).step, index.step(i));
            assertEquals(all.get(i).time, index.time(i), 0);
        }
        // Sequential reading passes the same offsets.
        try (XtcReader r = XtcReader.open(file)) {
            Frame f = new Frame();
            for (int i = 0; i < index.frames(); i++) {
                assertEquals(expected[i], r.position());
                assertEquals(i, r.nextIndex());
                assertTrue(r.next(f));
            }
            assertEquals(bytes.length, r.position());
            assertFalse(r.next(f));
        }
        // openAt(k) gives frames k, k+1, ... exactly as sequential reading does.
        for (int k = 0; k <= index.frames(); k++) {
            try (XtcReader r = index.openAt(k)) {
                assertEquals(all.get(0).atoms, r.atoms());
                Frame f = new Frame();
                for (int i = k; i < all.size(); i++) {
                    assertTrue(r.next(f), "frame " + i + " from " + k);
                    IoTesting.assertSameFrame(all.get(i), f, "frame " + i + " read from " + k);
                }
                assertFalse(r.next(f));
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> index.openAt(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> index.openAt(index.frames() + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> index.offset(index.frames()));

        // skip() agrees with next(), in any mixture.
        Random rnd = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            try (XtcReader r = XtcReader.open(file)) {
                IoTesting.assertSkipsAndReads(r, all, i -> rnd.nextBoolean(), (reader, i) -> assertEquals(expected[i], reader.position()));
            }
        }
    }

    @Test
    void gromacsFiles() throws Exception {
        for (String name : new String[] {"water", "first6", "first10", "ndec4", "ndec7", "tric"}) {
            checkIndex(XtcReaderTest.resource(name + ".xtc"));
        }
    }

    @Test
    void format2023() throws Exception {
        for (boolean mixed : new boolean[] {false, true}) {
            Path p = dir.resolve("w" + mixed + ".xtc");
            Files.write(p, XtcReaderTest.to2023(Files.readAllBytes(XtcReaderTest.resource("water.xtc")), mixed));
            checkIndex(p);
        }
    }

    @Test
    void framesLargerThanTheScanBuffer() throws Exception {
        // Frames of ~100 kB: the index and skip() seek past their blocks instead of reading them.
        Random rnd = new Random(12);
        Path p = dir.resolve("big.xtc");
        try (XtcWriter w = new XtcWriter(p)) {
            for (int i = 0; i < 12; i++) {
                w.write(XtcWriterTest.frame(XtcWriterTest.uniform(rnd, 30000, 0, 10), Box.orthorhombic(10, 10, 10), i, i));
            }
        }
        assertTrue(Files.size(p) / 12 > 64 * 1024);
        checkIndex(p);
    }

    @Test
    void partialLastFrame() throws Exception {
        byte[] bytes = Files.readAllBytes(XtcReaderTest.resource("water.xtc"));
        long[] offsets = offsetsByHand(bytes);
        Path p = dir.resolve("partial.xtc");
        int cut = (int) offsets[offsets.length - 1] + 100;
        Files.write(p, Arrays.copyOf(bytes, cut));
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> XtcIndex.build(p));
        assertEquals(offsets.length - 1, e.frame());
        assertEquals(offsets[offsets.length - 1], e.offset());
        XtcIndex prefix = XtcIndex.buildPrefix(p);
        assertEquals(offsets.length - 1, prefix.frames());
        assertNotNull(prefix.problem());
        assertEquals(offsets.length - 1, prefix.problem().frame());
        assertEquals(offsets[offsets.length - 1], prefix.end());
        // A reader from the last complete frame delivers it, then reports the partial one.
        try (XtcReader r = prefix.openAt(prefix.frames() - 1)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            TrajectoryFormatException again = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertEquals(offsets.length - 1, again.frame());
        }
        // A file whose first frame is damaged has an empty prefix.
        Path bad = dir.resolve("bad.xtc");
        byte[] b = bytes.clone();
        b[3] = 0;
        Files.write(bad, b);
        XtcIndex none = XtcIndex.buildPrefix(bad);
        assertEquals(0, none.frames());
        assertEquals(0, none.problem().frame());
    }

    @Test
    void rangesReadInParallelMatchSequentialReading() throws Exception {
        Path file = XtcReaderTest.resource("water.xtc");
        List<Frame> all = XtcReaderTest.readAll(file);
        XtcIndex index = XtcIndex.build(file);
        int chunk = 7;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Frame>>> parts = new ArrayList<>();
            for (int first = 0; first < index.frames(); first += chunk) {
                int from = first;
                int to = Math.min(index.frames(), first + chunk);
                parts.add(pool.submit(() -> {
                    List<Frame> got = new ArrayList<>();
                    try (XtcReader r = index.openAt(from)) {
                        Frame f = new Frame();
                        for (int i = from; i < to; i++) {
                            assertTrue(r.next(f));
                            got.add(f.copy());
                        }
                    }
                    return got;
                }));
            }
            int i = 0;
            for (Future<List<Frame>> part : parts) {
                for (Frame f : part.get()) {
                    IoTesting.assertSameFrame(all.get(i), f, "frame " + i);
                    i++;
                }
            }
            assertEquals(all.size(), i);
        } finally {
            pool.shutdownNow();
        }
    }
}
